"""Synthetic provenance on generated images: IPTC/XMP metadata, C2PA content credentials, a visible mark.

Every image Kinship generates says so three ways:

* an XMP packet with IPTC ``DigitalSourceType`` = ``trainedAlgorithmicMedia`` (what photo tools and
  search engines read), a human statement in ``dc:description`` and a Kinship namespace with the job
  reference, seed, parameters and model checksums;
* C2PA content credentials (``c2pa-python``): a ``c2pa.created`` action with the same digital source
  type, the engine as software agent, the parents' photos as ingredients, signed with the deployment's
  key (``KINSHIP_C2PA_CERT`` / ``KINSHIP_C2PA_KEY`` / ``KINSHIP_C2PA_ALG``);
* optionally a visible "SYNTHETIC" label burnt into the pixels.

The package is pure: no Django, no settings, no network. Callers pass the signer and options in.
The record (``ProvenanceInfo``, ``ParentIngredient``, ``ProvenanceError``) and its XMP packet are
:mod:`genetics.provenance`'s, which the command line uses too; import them from there.
Order matters when both are wanted: apply the visible mark first, then embed provenance, so the
signature covers the marked pixels.
"""

from cases.provenance.credentials import SIGNING_ALGORITHMS, C2paSigner, signer_from_files
from cases.provenance.embed import (
    ReadProvenance,
    embed_provenance,
    is_marked_synthetic,
    mark_keeping_provenance,
    read_provenance,
)
from cases.provenance.keys import local_signing_key
from cases.provenance.mark import PLACEMENTS, Placement, apply_visible_mark

__all__ = [
    "PLACEMENTS",
    "SIGNING_ALGORITHMS",
    "C2paSigner",
    "Placement",
    "ReadProvenance",
    "apply_visible_mark",
    "embed_provenance",
    "is_marked_synthetic",
    "local_signing_key",
    "mark_keeping_provenance",
    "read_provenance",
    "signer_from_files",
]
