"""Content credentials for generated candidates: the C2PA signer and each image's provenance record."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from cases.models import GenerationJob
from genetics.provenance import ParentIngredient, ProvenanceInfo


def with_provenance(png: bytes, job: GenerationJob, result, candidate) -> bytes:
    """Return the candidate's PNG with its provenance (XMP marks and, where a signer exists, C2PA)."""
    from cases import provenance

    info = ProvenanceInfo(
        engine_name=result.engine,
        engine_version=result.engine_version,
        model_checksums=result.model_checksums,
        job_reference=f"kinship-generation-job-{job.pk}",
        seed=job.seed,
        parameters={**job.params, "candidate_index": candidate.index},
        created_at=timezone.now(),
        parents=_ingredients(job),
    )
    return provenance.embed_provenance(png, info, signer=provenance_signer())


def provenance_signer():
    """Return the C2PA signer: the configured key, or in the embedded default a local self-signed one.

    The embedded default's key is made once under the data directory so a fresh install still
    writes content credentials; readers report its signer as untrusted, which is honest. In
    production without a configured key, images carry the XMP marks only.
    """
    from pathlib import Path

    from cases import provenance

    cert, key, alg = settings.KINSHIP_C2PA_CERT, settings.KINSHIP_C2PA_KEY, settings.KINSHIP_C2PA_ALG
    if not (cert and key):
        if settings.PRODUCTION:
            return None
        folder = Path(settings.DATA_DIR) / "c2pa-local-signer"
        cert, key = folder / "chain.pem", folder / "key.pem"
        if not (cert.exists() and key.exists()):
            cert, key = provenance.local_signing_key(folder)
        alg = "es256"
    return provenance.signer_from_files(cert, key, alg)


def _ingredients(job: GenerationJob) -> list:
    items = []
    for face, candidate in ((job.father_face, job.father_candidate), (job.mother_face, job.mother_candidate)):
        if candidate is not None:
            items.append(ParentIngredient(title=f"Synthetic candidate {candidate.pk}", sha256=candidate.image_sha256))
        else:
            items.append(
                ParentIngredient(
                    title=face.photo.title or face.photo.original_name or "parent photo", sha256=face.photo.sha256
                )
            )
    return items
