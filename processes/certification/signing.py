"""Ed25519 signatures of certificates (R10): a forged or altered certificate fails verification.

The signed content is rebuilt from the certificate's stored columns and snapshot each time it
is checked, so changing any of them in the database breaks the signature. The private key
comes from ``CERTIFICATION_SIGNING_KEY`` (settings or environment, PEM); without it, a
development key is generated once under ``var/`` (never committed). The public key is
published so anyone can check a certificate offline.
"""
import base64
import hashlib
import json
import os
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from . import conf


@lru_cache(maxsize=4)
def _load(pem: str, path: str) -> Ed25519PrivateKey:
    if pem:
        return serialization.load_pem_private_key(pem.encode(), password=None)
    from pathlib import Path

    file = Path(path)
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        data = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    return serialization.load_pem_private_key(file.read_bytes(), password=None)


def private_key() -> Ed25519PrivateKey:
    return _load(conf.signing_key_setting(), str(conf.dev_key_path()))


def public_key_pem() -> str:
    return private_key().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def key_id() -> str:
    raw = private_key().public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def signed_content(cert) -> dict:
    """What the signature covers (R8): everything a certificate states, not its status."""
    return {
        "number": cert.number,
        "issued_at": cert.issued_at.isoformat(timespec="seconds"),
        "volunteer": {"name": cert.volunteer_name, "id_masked": cert.volunteer_id_masked},
        "issuer": {"name": cert.issuer_name, "contact": cert.issuer_contact},
        "recording_organization": cert.recording_organization,
        "total_hours": f"{cert.total_hours:.2f}",
        "records": cert.snapshot,
        "sealed": bool(cert.sealed),
        "key_id": cert.key_id,
    }


def canonical(content: dict) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same bytes wherever it is computed."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(cert) -> str:
    return base64.b64encode(private_key().sign(canonical(signed_content(cert)))).decode()


def public_keys() -> dict:
    """Key id → public key: the current one and those of earlier keys (rotation)."""
    keys = {key_id(): private_key().public_key()}
    for kid, pem in conf.previous_public_keys().items():
        keys.setdefault(kid, serialization.load_pem_public_key(pem.encode()))
    return keys


def verify(cert) -> bool:
    """True when the stored signature matches the stored content under the published key
    the certificate names."""
    key = public_keys().get(cert.key_id)
    if key is None:
        return False
    try:
        key.verify(base64.b64decode(cert.signature), canonical(signed_content(cert)))
    except (InvalidSignature, ValueError):
        return False
    return True


def check_signing_key(app_configs=None, **kwargs):
    """``manage.py check --deploy``: production signs with a configured key. A development key
    generated on the server would change with each new machine or volume, and every
    certificate signed before would then verify as invalid (R10)."""
    from django.core.checks import Error

    if conf.signing_key_setting():
        return []
    return [Error("未配置证明签名私钥 CERTIFICATION_SIGNING_KEY（Ed25519，PEM）。",
                  hint="生成一次并妥善保管；更换密钥时把旧公钥放入 CERTIFICATION_PREVIOUS_PUBLIC_KEYS。",
                  id="certification.E001")]
