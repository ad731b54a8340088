"""A locally made C2PA signing identity: a throwaway CA and an end-entity signer certificate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from genetics.provenance.info import ProvenanceError


def local_signing_key(directory: Path, *, algorithm: str = "es256", label: str = "Kinship local") -> tuple[Path, Path]:
    """Write a throwaway CA + signer chain and key as ``chain.pem`` and ``key.pem``; return their paths.

    The embedded default signs with this so a fresh install still writes content credentials (readers
    report the signer as untrusted, which is honest); tests sign with it too. c2pa refuses
    self-signed leaves: the signer must be an end-entity certificate (not a CA) with keyUsage
    digitalSignature and an extendedKeyUsage such as emailProtection, issued by a CA that is in the
    chain. Production configures ``KINSHIP_C2PA_CERT``/``_KEY``/``_ALG`` instead.
    """
    if algorithm not in ("es256", "ps256"):
        raise ProvenanceError("Local signing keys are made for es256 or ps256 only.")

    def new_key() -> ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey:
        if algorithm == "es256":
            return ec.generate_private_key(ec.SECP256R1())
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def name(common_name: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kinship"),
                x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            ]
        )

    def usage(*, signer: bool) -> x509.KeyUsage:
        return x509.KeyUsage(
            digital_signature=signer,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=not signer,
            crl_sign=not signer,
            encipher_only=False,
            decipher_only=False,
        )

    now = dt.datetime.now(dt.UTC)
    ca_key, leaf_key = new_key(), new_key()
    ca_name = name(f"{label} CA (not for production)")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(usage(signer=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_cert = (
        x509.CertificateBuilder()
        .subject_name(name(f"{label} signer"))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage(signer=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    chain_path, key_path = directory / "chain.pem", directory / "key.pem"
    chain_path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (leaf_cert, ca_cert)))
    key_path.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_path.chmod(0o600)
    return chain_path, key_path
