"""Encryption at rest of stored payloads (AES-256-GCM) and private files for secrets.

A stored payload is a self-describing envelope::

    magic b"\\x00BXE" | version 0x01 | key id (4 bytes) | nonce (12 bytes) | ciphertext + GCM tag

The associated data binds the envelope to its row (outbox item id, version, and which
column: ``unsigned`` or ``signed``), so ciphertext copied onto another row fails
authentication instead of being sent as someone else's claim. The magic starts with a
NUL byte, which neither XML nor JSON can begin with, so a plaintext row written before
encryption was turned on is told apart without a flag column; ``queue rekey`` then
encrypts it.

Keys live in secret files, one key per file (32 random bytes, base64). The key id is
the first 8 hex digits of SHA-256 of the key: it names the key in errors and audit
rows without revealing it. The first key of the ring encrypts; every key decrypts, so
rotation is: put the new file first, restart, ``queue rekey``, remove the old file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from adapter.errors import ConfigError, PermanentError

MAGIC = b"\x00BXE"
VERSION = 1
_HEADER = len(MAGIC) + 1 + 4 + 12
KEY_BYTES = 32
POSIX = os.name == "posix"


def key_id(key: bytes) -> str:
    """The public name of a key: first 8 hex digits of its SHA-256."""
    return hashlib.sha256(key).hexdigest()[:8]


def is_envelope(data: bytes) -> bool:
    return data[:len(MAGIC)] == MAGIC


def envelope_key_id(data: bytes) -> str | None:
    """The key id an envelope was written with; None for plaintext."""
    return data[5:9].hex() if is_envelope(data) and len(data) >= _HEADER else None


def associated_data(item_id: int, version: int, column: str) -> bytes:
    """What a payload is bound to: its row and column."""
    return f"bhyt-outbox|{item_id}|{version}|{column}".encode("ascii")


class Cipher(Protocol):
    """What the outbox store needs: seal on write, open on read."""

    @property
    def current_key_id(self) -> str | None: ...

    def encrypt(self, plaintext: bytes, *, aad: bytes) -> bytes: ...

    def decrypt(self, stored: bytes, *, aad: bytes, what: str) -> bytes: ...


@dataclass(frozen=True, kw_only=True)
class NullCipher:
    """Encryption off: payloads are stored as they are. An encrypted row is refused, clearly."""

    current_key_id: None = None

    def encrypt(self, plaintext: bytes, *, aad: bytes) -> bytes:
        return plaintext

    def decrypt(self, stored: bytes, *, aad: bytes, what: str) -> bytes:
        if is_envelope(stored):
            raise PermanentError(f"{what} is encrypted with key {envelope_key_id(stored)} but "
                                 "outbox.encryption_key_files is empty")
        return stored


@dataclass(frozen=True, kw_only=True)
class PayloadCipher:
    """AES-256-GCM with a key ring: the first key encrypts, all keys decrypt."""

    keys: Sequence[bytes]
    _ring: dict[str, AESGCM] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.keys:
            raise ConfigError("PayloadCipher needs at least one key")
        if any(len(k) != KEY_BYTES for k in self.keys):
            raise ConfigError(f"an encryption key must be {KEY_BYTES} bytes")
        object.__setattr__(self, "_ring", {key_id(k): AESGCM(bytes(k)) for k in self.keys})

    @property
    def current_key_id(self) -> str:
        return key_id(self.keys[0])

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._ring)

    def encrypt(self, plaintext: bytes, *, aad: bytes) -> bytes:
        kid = self.current_key_id
        nonce = os.urandom(12)           # random 96-bit nonces: safe far beyond any outbox's volume
        sealed = self._ring[kid].encrypt(nonce, plaintext, aad)
        return MAGIC + bytes([VERSION]) + bytes.fromhex(kid) + nonce + sealed

    def decrypt(self, stored: bytes, *, aad: bytes, what: str) -> bytes:
        if not is_envelope(stored):
            return stored                 # written before encryption was on; rekey seals it
        if len(stored) < _HEADER + 16 or stored[4] != VERSION:
            raise PermanentError(f"{what}: unreadable encrypted payload (bad envelope)")
        kid = stored[5:9].hex()
        aes = self._ring.get(kid)
        if aes is None:
            raise PermanentError(f"{what} is encrypted with key {kid}, which is not in "
                                 "outbox.encryption_key_files")
        try:
            return aes.decrypt(stored[9:_HEADER], stored[_HEADER:], aad)
        except InvalidTag as exc:
            raise PermanentError(f"{what}: encrypted payload failed authentication (key {kid}): "
                                 "tampered, or moved from another row") from exc

    @classmethod
    def from_files(cls, paths: Sequence[Path]) -> PayloadCipher:
        return cls(keys=[load_key(p) for p in paths])


def cipher_from_files(paths: Sequence[Path]) -> Cipher:
    """The cipher the settings ask for: ``NullCipher`` when no key file is configured."""
    return PayloadCipher.from_files(paths) if paths else NullCipher()


def load_key(path: Path) -> bytes:
    """One key from a secret file (base64 of 32 bytes). Errors name the file, never the content."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read encryption key file {path}") from exc
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ConfigError(f"encryption key file {path} is not base64") from exc
    if len(key) != KEY_BYTES:
        raise ConfigError(f"encryption key file {path} must hold {KEY_BYTES} bytes, base64")
    return key


def new_key_text() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii") + "\n"


# ---- private files -------------------------------------------------------------------------------
# On Windows, os.chmod only toggles read-only: access is governed by ACLs, which the installer
# sets on the install folder (see SECURITY.md). The functions below are no-ops there.

def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the owner only on POSIX (0700)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def touch_private(path: Path) -> None:
    """Create an empty file 0600 if it does not exist (before a library creates it with 0644)."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def write_private(path: Path, data: bytes) -> None:
    """Write a secret file created 0600: never world-readable, not even for an instant."""
    private_dir(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    if POSIX:
        os.chmod(path, 0o600)            # an existing file keeps its old mode through O_CREAT


def exposed(path: Path) -> str | None:
    """Why ``path`` is readable by others than its owner (POSIX), or None when it is private."""
    if not POSIX or sys.platform == "win32":
        return None
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return f"{path} is accessible by group/others (mode {stat.S_IMODE(mode):04o}); chmod 600 it"
    return None
