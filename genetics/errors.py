"""Exceptions raised by the genetics library; callers map them to their own domain errors."""

from __future__ import annotations


class GeneticsError(Exception):
    """Base class for every error the genetics library raises on purpose."""


class InvalidImage(GeneticsError):
    """The input is not a usable RGB image (wrong shape, dtype or empty)."""


class FaceError(GeneticsError):
    """A photo cannot provide the face the caller asked for."""


class NoFaceFound(FaceError):
    """The detector found no face in the image."""


class MultipleFacesFound(FaceError):
    """Several faces were found and the caller did not say which one to use."""

    def __init__(self, message: str, boxes: list) -> None:
        super().__init__(message)
        self.boxes = boxes


class FaceTooSmall(FaceError):
    """The face is too small for a usable alignment."""


class FaceCutOff(FaceError):
    """The face extends past the image border."""


class FaceNotFrontal(FaceError):
    """The face is turned too far from the camera (profile view)."""


class CheckpointError(GeneticsError):
    """A checkpoint file or folder is missing, unreadable, unsafe or of the wrong shape."""


class CheckpointMismatch(CheckpointError):
    """A checkpoint's keys or shapes differ from what the network expects."""


class UnsafeCheckpoint(CheckpointError):
    """A checkpoint asks to unpickle objects outside the allow-list."""


class EngineUnavailable(GeneticsError):
    """The requested engine cannot run with the configuration given."""


class SynthesisFailed(GeneticsError):
    """An engine could not produce a candidate that passes its own checks (e.g. no face found)."""


class StaleParent(GeneticsError):
    """A prepared parent was made by another engine or other model files; prepare it again."""
