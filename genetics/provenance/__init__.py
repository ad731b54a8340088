"""What a generated image says about itself: the provenance record and its XMP packet.

Pure and light (Pillow and the standard library): the command line labels the candidates it
writes with it, and the app (``cases.provenance``) adds C2PA content credentials and the visible
mark on top. The XMP states the image is synthetic (IPTC ``DigitalSourceType`` =
``trainedAlgorithmicMedia``; an evaluation's contact sheet, candidates beside photographs,
``compositeWithTrainedAlgorithmicMedia``) and carries the engine, seed, parameters and model
checksums.
"""

from genetics.provenance.containers import MalformedContainer, jpeg_set_xmp, png_set_xmp
from genetics.provenance.info import (
    COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
    DEFAULT_STATEMENT,
    SYNTHETIC_SOURCE_TYPES,
    TRAINED_ALGORITHMIC_MEDIA,
    ParentIngredient,
    ProvenanceError,
    ProvenanceInfo,
)
from genetics.provenance.xmp import xmp_packet

__all__ = [
    "COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA",
    "DEFAULT_STATEMENT",
    "SYNTHETIC_SOURCE_TYPES",
    "TRAINED_ALGORITHMIC_MEDIA",
    "MalformedContainer",
    "ParentIngredient",
    "ProvenanceError",
    "ProvenanceInfo",
    "jpeg_set_xmp",
    "png_set_xmp",
    "xmp_packet",
]
