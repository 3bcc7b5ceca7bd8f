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

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.checks import Error
from django.utils.translation import gettext as _

from engine.keys import load_private_key

from . import conf


def private_key() -> Ed25519PrivateKey:
    return load_private_key(conf.signing_key_setting(), str(conf.dev_key_path()))


def public_key_pem() -> str:
    return private_key().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def key_id() -> str:
    raw = private_key().public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def signed_content(cert) -> dict:
    """What the signature covers (R8): everything a certificate states, not its status. The
    departments' commendations and star rating (seed 二(四)) only when the certificate lists
    them, so certificates issued without them verify as before."""
    content = {
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
    if cert.honours:
        content["honours"] = cert.honours
    return content


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
    if conf.signing_key_setting():
        return []
    return [Error(_("The certificate signing key CERTIFICATION_SIGNING_KEY (Ed25519, PEM) is not set."),
                  hint=_("Generate it once and keep it safe; when replacing it, put the old public key in CERTIFICATION_PREVIOUS_PUBLIC_KEYS."),
                  id="certification.E001")]
