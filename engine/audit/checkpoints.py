"""Signed checkpoints of the sealed chain, kept outside the database (D4).

After each sealing run the new seals are appended to ``checkpoints.jsonl`` in
``AUDIT_CHECKPOINT_DIR`` (a directory on another disk, a mounted object store, or whatever the
operator keeps apart from the database), one line per batch::

    {"size": N, "head": "<chain hash at N>", "at": "...", "key": "<key id>",
     "leaves": [[position, seq, content_hash], ...], "sig": "<Ed25519 over size|head|at|key>"}

The leaves mirror the chain, so ``audit_verify`` can name the first event that differs even
when someone with database rights recomputed every hash in the database; the signature over
the head means the file cannot be rewritten without the key either. ``printable()`` gives the
latest checkpoint as text for the paper archive.
"""
import base64
import fcntl
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from engine.keys import load_private_key, public_raw

from .chain import GENESIS, link

FILE_NAME = "checkpoints.jsonl"
LEAVES_PER_LINE = 5000


def signing_key():
    return load_private_key(settings.AUDIT_SIGNING_KEY, str(settings.AUDIT_SIGNING_KEY_FILE))


def key_id() -> str:
    return hashlib.sha256(public_raw(signing_key())).hexdigest()[:16]


def path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR) / FILE_NAME


def _signed_bytes(size: int, head: str, at: str, key: str) -> bytes:
    return f"zhiyuan-audit-checkpoint|{size}|{head}|{at}|{key}".encode()


@dataclass
class Checkpoint:
    line: int
    size: int
    head: str
    at: str
    key: str
    leaves: list
    sig: str

    def signature_valid(self) -> bool:
        if self.key != key_id():
            return False
        try:
            signing_key().public_key().verify(
                base64.b64decode(self.sig), _signed_bytes(self.size, self.head, self.at, self.key)
            )
        except (InvalidSignature, ValueError):
            return False
        return True


def read() -> list[Checkpoint]:
    """Every checkpoint in the file, oldest first (an unreadable line counts as unsigned)."""
    if not path().exists():
        return []
    result = []
    with path().open(encoding="utf-8") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                data = json.loads(raw)
                result.append(Checkpoint(number, int(data["size"]), data["head"], data["at"], data["key"],
                                         list(data["leaves"]), data["sig"]))
            except (ValueError, KeyError, TypeError):
                result.append(Checkpoint(number, -1, "", "", "", [], ""))
    return result


def _last_size(fh) -> tuple[int, str]:
    size, head = 0, GENESIS
    fh.seek(0)
    for raw in fh:
        try:
            data = json.loads(raw)
            size, head = int(data["size"]), data["head"]
        except (ValueError, KeyError, TypeError):
            continue
    return size, head


def append(seals) -> int:
    """Write the seals past the file's last checkpoint (``seals(after)`` yields rows
    ``(position, seq, content_hash, chain)`` in order). Returns how many leaves were written.

    A file lock keeps two sealing runs from interleaving lines; rows are re-read from the last
    size the file holds, so a run that crashed between its commit and its write is caught up."""
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(target, "a+", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            size, _head = _last_size(fh)
            batch = []
            for row in seals(size):
                batch.append(row)
                if len(batch) == LEAVES_PER_LINE:
                    written += _write_line(fh, batch)
                    batch = []
            if batch:
                written += _write_line(fh, batch)
            fh.flush()
            os.fsync(fh.fileno())
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
    return written


def _write_line(fh, rows) -> int:
    size, head = rows[-1][0], rows[-1][3]
    at = timezone.now().isoformat(timespec="seconds")
    key = key_id()
    sig = base64.b64encode(signing_key().sign(_signed_bytes(size, head, at, key))).decode()
    line = {"size": size, "head": head, "at": at, "key": key,
            "leaves": [[pos, seq, content] for pos, seq, content, _chain in rows], "sig": sig}
    fh.seek(0, os.SEEK_END)
    fh.write(json.dumps(line, separators=(",", ":")) + "\n")
    return len(rows)


@dataclass
class ExternalTrail:
    """What the checkpoint file vouches for: each position's (seq, content hash), and its size."""

    leaves: dict
    size: int
    problem: str = ""


def external_trail() -> ExternalTrail:
    """Check every checkpoint's signature and that its leaves chain to its signed head."""
    leaves, chain, size = {}, GENESIS, 0
    for cp in read():
        if not cp.signature_valid():
            return ExternalTrail(leaves, size, _("The signature on line %(line)d of the checkpoint file is invalid; the file was altered.") % {"line": cp.line})
        for position, seq, content in cp.leaves:
            if position != size + 1:
                return ExternalTrail(leaves, size, _("The seal positions on line %(line)d of the checkpoint file are not consecutive; the file was "
                                   "altered.") % {"line": cp.line})
            chain = link(chain, position, seq, content)
            leaves[position] = (seq, content)
            size = position
        if size != cp.size or chain != cp.head:
            return ExternalTrail(leaves, size, _("Line %(line)d of the checkpoint file does not match its signed chain head; the file was "
                                 "altered.") % {"line": cp.line})
    return ExternalTrail(leaves, size)


def printable() -> str:
    """The latest checkpoint as text to print and file on paper, with the public key."""
    checkpoints = [cp for cp in read() if cp.size >= 0]
    if not checkpoints:
        return _("No audit checkpoint yet.")
    cp = checkpoints[-1]
    public = base64.b64encode(public_raw(signing_key())).decode()
    return "\n".join([
        _("Zhiyuan Zhengzhou audit log checkpoint"),
        _("Events (seal position): %(size)s") % {"size": cp.size},
        _("Chain head hash: %(head)s") % {"head": cp.head},
        _("Time: %(at)s") % {"at": cp.at},
        _("Signing key ID: %(key)s") % {"key": cp.key},
        _("Public key (Ed25519, Base64): %(key)s") % {"key": public},
        _("Signature (Base64): %(sig)s") % {"sig": cp.sig},
    ])
