"""Recognise Kinship's own synthetic images when they come back in as photos (uploads, GEDCOM media)."""

from __future__ import annotations

from django.conf import settings

from cases.imaging import image_decode_display

FINGERPRINT_MAX_SIDE = 1024
"""Largest candidate side (the engines render at most 1024²): bigger uploads cannot be exact copies."""


def image_synthetic_reason(*, data: bytes, sha256: str) -> str | None:
    """Return why an image is one of Kinship's synthetic candidates, or None when nothing says so.

    Checked in order of cost: the file's sha256 against stored candidates, the provenance metadata
    (XMP, C2PA), the decoded pixels' sha256 (same pixels in a new file), the perceptual hash (a
    re-encoded or resized copy) and the invisible watermark (which also survives small crops).
    Candidates of every tree count: a download from one tree must not become a photo in another.
    """
    import numpy as np

    from cases.models import Candidate
    from cases.provenance import fingerprint, is_marked_synthetic, watermark

    if Candidate.objects.filter(image_sha256=sha256).exists():
        return "the file is a stored candidate"
    if is_marked_synthetic(data):
        return "the file's metadata marks it as generated"
    pixels = np.asarray(image_decode_display(data, max_side=FINGERPRINT_MAX_SIDE))
    if Candidate.objects.filter(pixels_sha256=fingerprint.pixels_sha256(pixels)).exists():
        return "its pixels are those of a stored candidate"
    if _near_candidate(fingerprint.perceptual_hash(pixels)):
        return "it is a near copy of a stored candidate"
    if min(pixels.shape[:2]) >= 32 and watermark.watermark_detect(pixels, key=settings.KINSHIP_WATERMARK_KEY).detected:
        return "it carries Kinship's invisible watermark"
    return None


def _near_candidate(value: int) -> bool:
    import numpy as np

    from cases.models import Candidate
    from cases.provenance.fingerprint import PHASH_NEAR, hamming_distances

    # A 64-bit popcount over every stored hash is about a millisecond per 100,000 candidates;
    # the values come straight from the index on perceptual_hash.
    stored = np.fromiter(
        Candidate.objects.filter(perceptual_hash__isnull=False)
        .values_list("perceptual_hash", flat=True)
        .iterator(chunk_size=10_000),
        dtype=np.int64,
    )
    return bool(stored.size) and bool((hamming_distances(value, stored) <= PHASH_NEAR).any())
