"""C2PA content credentials: the signing identity, the manifest Kinship signs and the offline reader context."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import c2pa
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from genetics.provenance.info import (
    APPLICATION_NAME,
    MIME_BY_FORMAT,
    TRAINED_ALGORITHMIC_MEDIA,
    ParentIngredient,
    ProvenanceError,
    ProvenanceInfo,
    sniff_format,
)

KINSHIP_ASSERTION_LABEL = "org.kinship.generation"
SIGNING_ALGORITHMS = ("es256", "es384", "es512", "ps256", "ps384", "ps512", "ed25519")


@dataclass(frozen=True)
class C2paSigner:
    """A C2PA signing identity: PEM certificate chain (leaf first), PEM private key, algorithm.

    ``tsa_url`` stays None for Kinship: a timestamp authority is a network call, and generation runs
    offline. Without one the signature is valid only while the certificate is.
    """

    certificate_chain_pem: bytes
    private_key_pem: bytes = field(repr=False)
    algorithm: str = "es256"
    tsa_url: str | None = None

    def __post_init__(self) -> None:
        if self.algorithm not in SIGNING_ALGORITHMS:
            raise ProvenanceError(
                f"Unknown C2PA signing algorithm {self.algorithm!r}; use one of {', '.join(SIGNING_ALGORITHMS)}."
            )
        try:
            chain = x509.load_pem_x509_certificates(self.certificate_chain_pem)
        except ValueError as error:
            raise ProvenanceError("The C2PA certificate file holds no readable PEM certificate.") from error
        try:
            key = serialization.load_pem_private_key(self.private_key_pem, password=None)
        except (ValueError, TypeError) as error:
            raise ProvenanceError("The C2PA key file holds no readable unencrypted PEM private key.") from error
        expected = {"es": ec.EllipticCurvePrivateKey, "ps": rsa.RSAPrivateKey, "ed": ed25519.Ed25519PrivateKey}
        if not isinstance(key, expected[self.algorithm[:2]]):
            raise ProvenanceError(f"The C2PA private key does not suit algorithm {self.algorithm}.")

        def der(public_key: Any) -> bytes:
            spki = serialization.PublicFormat.SubjectPublicKeyInfo
            return public_key.public_bytes(serialization.Encoding.DER, spki)

        if der(key.public_key()) != der(chain[0].public_key()):
            raise ProvenanceError("The C2PA private key does not belong to the first certificate of the chain.")


def signer_from_files(cert_path: str | Path, key_path: str | Path, alg: str = "es256") -> C2paSigner:
    """Return a signer from a PEM chain file (leaf first) and a PEM private key file."""
    try:
        chain, key = Path(cert_path).read_bytes(), Path(key_path).read_bytes()
    except OSError as error:
        raise ProvenanceError(f"Cannot read the C2PA certificate or key: {error}") from error
    return C2paSigner(certificate_chain_pem=chain, private_key_pem=key, algorithm=alg.lower())


def c2pa_context(trust_anchors_pem: str | None = None) -> c2pa.Context:
    """Return the c2pa context: offline, no thumbnails, trusting only the given anchors."""
    settings: dict[str, Any] = {
        # Offline: never fetch a remote manifest or OCSP response named by an uploaded file.
        "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
        # No thumbnails: an ingredient thumbnail would copy a parent's (private) photo into every
        # downloaded candidate, and the claim thumbnail only duplicates the image.
        "builder": {"thumbnail": {"enabled": False}},
    }
    if trust_anchors_pem:
        settings["trust"] = {"user_anchors": trust_anchors_pem}
        settings["verify"]["verify_trust"] = True
    return c2pa.Context.from_dict(settings)


def c2pa_sign(data: bytes, mime: str, info: ProvenanceInfo, signer: C2paSigner) -> bytes:
    """Return the image signed with a C2PA manifest: the created action, parents as ingredients, Kinship fields."""
    parent_ids = [f"parent-{index}" for index in range(len(info.parents))]
    generator: dict[str, str] = {"name": APPLICATION_NAME}
    if info.application_version:
        generator["version"] = info.application_version
    manifest = {
        "claim_generator_info": [generator],
        "title": f"{APPLICATION_NAME} candidate {info.job_reference}",
        "format": mime,
        # Parents known only by hash are declared here; those with bytes are added as streams below,
        # which also chains a parent's own manifest (a generated parent in a later generation).
        "ingredients": [
            _ingredient_definition(parent, label)
            for parent, label in zip(info.parents, parent_ids)
            if parent.data is None
        ],
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
                            "softwareAgent": {"name": info.engine_name, "version": info.engine_version},
                            "description": info.statement,
                            "when": info.created_at.isoformat(),
                            "parameters": {"ingredientIds": parent_ids},
                        }
                    ]
                },
            },
            {
                "label": KINSHIP_ASSERTION_LABEL,
                "data": {
                    "job_reference": info.job_reference,
                    "seed": info.seed,
                    "engine": {"name": info.engine_name, "version": info.engine_version},
                    "model_checksums": dict(info.model_checksums),
                    "parameters": info.parameters,
                    "created_at": info.created_at.isoformat(),
                    "statement": info.statement,
                },
            },
        ],
    }
    try:
        native_signer = c2pa.Signer.from_info(
            c2pa.C2paSignerInfo(
                signer.algorithm.encode(),
                signer.certificate_chain_pem,
                signer.private_key_pem,
                signer.tsa_url.encode() if signer.tsa_url else None,
            )
        )
        with native_signer, c2pa.Builder(manifest, c2pa_context()) as builder:
            for parent, label in zip(info.parents, parent_ids):
                if parent.data is not None:
                    builder.add_ingredient(
                        _ingredient_definition(parent, label), _ingredient_mime(parent), io.BytesIO(parent.data)
                    )
            out = io.BytesIO()
            builder.sign(native_signer, mime, io.BytesIO(data), out)
    except c2pa.C2paError as error:
        raise ProvenanceError(f"C2PA signing failed: {error}") from error
    return out.getvalue()


def _ingredient_definition(parent: ParentIngredient, label: str) -> dict[str, Any]:
    return {
        "title": parent.title,
        "relationship": "inputTo",
        "label": label,
        "metadata": {"org.kinship.sha256": parent.sha256},
    }


def _ingredient_mime(parent: ParentIngredient) -> str:
    assert parent.data is not None
    image_format = sniff_format(parent.data)
    if image_format not in MIME_BY_FORMAT:
        raise ProvenanceError(f"Parent photo {parent.title!r} is a {image_format} image, which C2PA cannot read.")
    return MIME_BY_FORMAT[image_format]
