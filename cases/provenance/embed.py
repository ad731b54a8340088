"""Write and read provenance in an image file: the XMP packet and, when signed, C2PA credentials."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

import c2pa
from PIL import Image

from cases.provenance.credentials import C2paSigner, c2pa_context, c2pa_sign
from cases.provenance.mark import Placement, apply_visible_mark
from genetics.provenance.containers import MalformedContainer, jpeg_set_xmp, png_set_xmp
from genetics.provenance.info import (
    MIME_BY_FORMAT,
    ProvenanceError,
    ProvenanceInfo,
    is_synthetic_source_type,
    sniff_format,
)
from genetics.provenance.xmp import NS_IPTC_EXT, xmp_info, xmp_packet, xmp_parse, xmp_text, xmp_value


@dataclass(frozen=True)
class ReadProvenance:
    """What an image carries: XMP facts, Kinship fields and the C2PA manifest store with its validation."""

    image_format: str
    xmp: str | None
    digital_source_type: str | None  # from XMP
    info: ProvenanceInfo | None  # Kinship fields from XMP; parents come back without their bytes
    c2pa_store: dict[str, Any] | None  # the manifest store JSON as c2pa reports it
    c2pa_validation_state: str | None  # "Invalid", "Valid" (signature good, signer not trusted) or "Trusted"
    c2pa_failures: tuple[str, ...] = ()  # validation codes other than the signer-trust one
    c2pa_signer_trusted: bool = False
    problems: tuple[str, ...] = ()  # metadata that was present but unreadable

    @property
    def c2pa_active_manifest(self) -> dict[str, Any] | None:
        """Return the active manifest of the store, if any."""
        if not self.c2pa_store or "active_manifest" not in self.c2pa_store:
            return None
        return self.c2pa_store.get("manifests", {}).get(self.c2pa_store["active_manifest"])

    @property
    def c2pa_actions(self) -> list[dict[str, Any]]:
        """Return the actions of the active manifest (``c2pa.actions`` and ``c2pa.actions.v2``)."""
        manifest = self.c2pa_active_manifest or {}
        return [
            action
            for assertion in manifest.get("assertions", [])
            if assertion.get("label", "").split(".v")[0] == "c2pa.actions"
            for action in assertion.get("data", {}).get("actions", [])
        ]

    @property
    def c2pa_signature_valid(self) -> bool:
        """Return True if a manifest is present and its signature and hashes check out."""
        return self.c2pa_validation_state in ("Valid", "Trusted") and not self.c2pa_failures


def embed_provenance(png_or_jpeg: bytes, info: ProvenanceInfo, *, signer: C2paSigner | None) -> bytes:
    """Return the image with XMP provenance and, when a signer is given, signed C2PA credentials.

    Pixels are untouched: the XMP packet is spliced into the container (an iTXt chunk in PNG, an
    APP1 segment in JPEG) without re-encoding, replacing any XMP already there. C2PA then binds a
    hash of the whole file, XMP included, so editing the XMP afterwards breaks the signature.
    """
    image_format = sniff_format(png_or_jpeg)
    packet = xmp_packet(info)
    splice = {"PNG": png_set_xmp, "JPEG": jpeg_set_xmp}.get(image_format)
    if splice is None:
        raise ProvenanceError(f"Provenance is written into PNG or JPEG images only, not {image_format}.")
    try:
        marked = splice(png_or_jpeg, packet)
    except MalformedContainer as error:
        raise ProvenanceError(str(error)) from error
    if signer is None:
        return marked
    signed = c2pa_sign(marked, MIME_BY_FORMAT[image_format], info, signer)
    # c2pa rewrites the container; a future version must not silently drop the IPTC statement.
    with Image.open(io.BytesIO(signed)) as image:
        kept = xmp_text(image) == packet.decode("utf-8")
    if not kept:
        raise ProvenanceError("C2PA signing lost the XMP packet; refusing to return an unmarked image.")
    return signed


def _xmp_packet_of(data: bytes, image_format: str) -> tuple[str | None, list[str]]:
    """Return the image's XMP packet (None when it has none) and the problems met reading it."""
    problems: list[str] = []
    with Image.open(io.BytesIO(data)) as image:
        xmp = xmp_text(image)
        if xmp is None and image_format == "PNG":
            # Pillow sees chunks that follow the image data only once it has decoded the pixels.
            try:
                image.load()
            except (OSError, SyntaxError, ValueError) as error:
                problems.append(f"The PNG image data cannot be decoded: {error}")
            xmp = xmp_text(image)
    return xmp, problems


def read_provenance(data: bytes, *, trust_anchors_pem: str | None = None) -> ReadProvenance:
    """Return the provenance embedded in an image; C2PA is validated offline.

    Without ``trust_anchors_pem`` (PEM CA certificates to trust) every signer is reported as
    untrusted (state "Valid", not "Trusted") yet the signature and hashes are still checked.
    """
    image_format = sniff_format(data)
    xmp, problems = _xmp_packet_of(data, image_format)
    source_type, info = None, None
    if xmp is not None:
        try:
            root = xmp_parse(xmp)
            source_type = xmp_value(root, NS_IPTC_EXT, "DigitalSourceType")
            info = xmp_info(root)
        except ProvenanceError as error:
            problems.append(str(error))
    store, state, failures, trusted = None, None, (), False
    mime = MIME_BY_FORMAT.get(image_format)
    if mime is not None:
        try:
            reader = c2pa.Reader.try_create(mime, io.BytesIO(data), None, c2pa_context(trust_anchors_pem))
        except c2pa.C2paError as error:
            problems.append(f"The C2PA manifest cannot be read: {error}")
            reader = None
        if reader is not None:
            with reader:
                store = json.loads(reader.json())
            state = store.get("validation_state")
            codes = [status.get("code", "") for status in store.get("validation_status") or []]
            failures = tuple(code for code in codes if code != "signingCredential.untrusted")
            trusted = state == "Trusted"
    return ReadProvenance(
        image_format=image_format,
        xmp=xmp,
        digital_source_type=source_type,
        info=info,
        c2pa_store=store,
        c2pa_validation_state=state,
        c2pa_failures=failures,
        c2pa_signer_trusted=trusted,
        problems=tuple(problems),
    )


def is_marked_synthetic(data: bytes) -> bool:
    """Return True if the image declares itself synthetic in XMP, Kinship fields or a C2PA manifest.

    A declaration is enough, valid signature or not: an image that says it is not a photograph must
    not be accepted as one. Metadata can be stripped, so callers also check their own records.
    """
    provenance = read_provenance(data)
    if provenance.info is not None or is_synthetic_source_type(provenance.digital_source_type):
        return True
    return any(is_synthetic_source_type(action.get("digitalSourceType")) for action in provenance.c2pa_actions)


def mark_keeping_provenance(data: bytes, *, placement: Placement, signer: C2paSigner | None = None) -> bytes:
    """Return ``data`` with the visible mark burnt in and its XMP provenance written back (and,
    given a ``signer``, C2PA credentials over the marked pixels); an image with none gets the mark only.

    Burning the mark re-encodes the pixels and drops the container's metadata: a copy saved from
    the app's own view (the family page, the full-size viewer) said "synthetic" in its pixels but
    no longer in its metadata. Unsigned suits what the app shows, made on every view; exits that
    leave the app (a download) pass the deployment's signer.
    """
    # Only the XMP is carried over: validating the C2PA store, as read_provenance does, would be
    # wasted on every view (the marked copy gets new credentials or none).
    xmp, _ = _xmp_packet_of(data, sniff_format(data))
    try:
        info = xmp_info(xmp_parse(xmp)) if xmp is not None else None
    except ProvenanceError:
        info = None  # unreadable, as read_provenance would report it: the copy carries the mark alone
    marked = apply_visible_mark(data, placement=placement)
    return embed_provenance(marked, info, signer=signer) if info is not None else marked
