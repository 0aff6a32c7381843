"""Facility key on a PKCS#11 token or HSM (VNPT-CA, Viettel-CA, BKAV tokens; SoftHSM2 in tests).

signxml only calls ``key.sign(data, padding, algorithm)`` and ``key.public_key()``, so
``TokenRSAPrivateKey`` subclasses cryptography's ``RSAPrivateKey`` and forwards ``sign`` to the
token. The output is byte-identical to software signing (PKCS#1 v1.5 is deterministic).

A PKCS#11 session must not be used by two threads at once: every token call holds a lock.
python-pkcs11 errors are translated here, once.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass
from pkcs11.exceptions import MechanismInvalid, PKCS11Error

from adapter.errors import CertificateError, ConfigError, SigningError
from adapter.signing.keys import KeyMaterial

log = logging.getLogger(__name__)

# DER prefix of DigestInfo{sha256, digest} (RFC 8017 §9.2 note 1), for tokens without SHA256_RSA_PKCS.
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")

SessionOpener = Callable[[], "pkcs11.Session"]


class TokenRSAPrivateKey(rsa.RSAPrivateKey):
    """An RSA key that never leaves the token; only PKCS#1 v1.5 with SHA-256 is offered."""

    def __init__(self, *, open_session: SessionOpener, key_label: str | None, key_id: bytes | None,
                 public_key: rsa.RSAPublicKey, force_raw_rsa: bool = False) -> None:
        self._open_session = open_session
        self._label = key_label
        self._id = key_id
        self._public = public_key
        self._raw = force_raw_rsa          # True: RSA_PKCS over a DigestInfo (token lacks SHA256_RSA_PKCS)
        self._lock = threading.Lock()
        self._session: pkcs11.Session | None = None
        self._handle: Any = None

    @property
    def uses_raw_rsa(self) -> bool:
        return self._raw

    def sign(self, data: bytes, padding: Any, algorithm: Any) -> bytes:
        if not isinstance(padding, PKCS1v15) or not isinstance(algorithm, hashes.SHA256):
            raise SigningError("the token key signs only RSA PKCS#1 v1.5 with SHA-256 (BHXH profile)")
        with self._lock:
            try:
                return self._sign_locked(data)
            except PKCS11Error as exc:
                self._drop_session()   # a removed token or closed session: reopen on next use
                raise SigningError(f"token refused to sign: {type(exc).__name__}") from exc

    def _sign_locked(self, data: bytes) -> bytes:
        key = self._key()
        if not self._raw:
            try:
                return bytes(key.sign(data, mechanism=Mechanism.SHA256_RSA_PKCS))
            except MechanismInvalid:
                log.info("token lacks SHA256_RSA_PKCS; using RSA_PKCS over a SHA-256 DigestInfo")
                self._raw = True
        digest_info = SHA256_DIGEST_INFO + hashlib.sha256(data).digest()
        return bytes(key.sign(digest_info, mechanism=Mechanism.RSA_PKCS))

    def _key(self) -> Any:
        if self._session is None:
            self._session = self._open_session()
            self._handle = _find_private_key(self._session, self._label, self._id)
        return self._handle

    def _drop_session(self) -> None:
        session, self._session, self._handle = self._session, None, None
        if session is not None:
            try:
                session.close()
            except PKCS11Error:
                log.debug("closing a broken PKCS#11 session failed; dropped anyway")

    def close(self) -> None:
        with self._lock:
            self._drop_session()

    def public_key(self) -> rsa.RSAPublicKey:
        return self._public

    @property
    def key_size(self) -> int:
        return self._public.key_size

    def decrypt(self, ciphertext: bytes, padding: Any) -> bytes:
        _not_exportable("decrypt")

    def private_numbers(self) -> rsa.RSAPrivateNumbers:
        _not_exportable("private_numbers")

    def private_bytes(self, encoding: serialization.Encoding, format: serialization.PrivateFormat,
                      encryption_algorithm: serialization.KeySerializationEncryption) -> bytes:
        _not_exportable("private_bytes")

    def __copy__(self) -> TokenRSAPrivateKey:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> TokenRSAPrivateKey:
        return self


def open_pkcs11(module: Path, token_label: str, *, key_label: str | None = None,
                key_id: str | None = None, pin: str, force_raw_rsa: bool = False) -> KeyMaterial:
    """Key material whose private key lives on the token; the certificate object has the same label/id."""
    if not (key_label or key_id):
        raise ConfigError("a PKCS#11 key needs a label or an id")
    id_bytes = bytes.fromhex(key_id) if key_id else None
    token = _token(module, token_label)

    def open_session() -> pkcs11.Session:
        return token.open(user_pin=pin)

    try:
        with open_session() as session:
            cert = _certificate(session, key_label, id_bytes)
            _check_pair(session, cert, key_label, id_bytes)
    except PKCS11Error as exc:
        raise SigningError(f"cannot use token {token_label!r}: {type(exc).__name__}") from exc
    public = cert.public_key()
    assert isinstance(public, rsa.RSAPublicKey)  # _check_pair ensured an RSA certificate
    key = TokenRSAPrivateKey(open_session=open_session, key_label=key_label, key_id=id_bytes,
                             public_key=public, force_raw_rsa=force_raw_rsa)
    return KeyMaterial(private_key=key, certificate=cert, chain=())


def _token(module: Path, token_label: str) -> pkcs11.Token:
    try:
        return pkcs11.lib(str(module)).get_token(token_label=token_label)
    except (PKCS11Error, RuntimeError, OSError) as exc:
        raise ConfigError(f"PKCS#11 token {token_label!r} not found via {module}: {type(exc).__name__}") \
            from exc


def _find_private_key(session: pkcs11.Session, label: str | None, key_id: bytes | None) -> Any:
    return session.get_key(object_class=ObjectClass.PRIVATE_KEY, key_type=KeyType.RSA,
                           label=label, id=key_id)


def _certificate(session: pkcs11.Session, label: str | None, key_id: bytes | None) -> x509.Certificate:
    attrs: dict[Attribute, Any] = {Attribute.CLASS: ObjectClass.CERTIFICATE}
    if label:
        attrs[Attribute.LABEL] = label
    if key_id:
        attrs[Attribute.ID] = key_id
    found = list(session.get_objects(attrs))
    if len(found) != 1:
        raise CertificateError(
            f"expected one certificate object on the token for the key, found {len(found)}")
    return x509.load_der_x509_certificate(bytes(found[0][Attribute.VALUE]))


def _check_pair(session: pkcs11.Session, cert: x509.Certificate, label: str | None,
                key_id: bytes | None) -> None:
    public = cert.public_key()
    if not isinstance(public, rsa.RSAPublicKey):
        raise CertificateError("the token certificate does not hold an RSA key")
    key = _find_private_key(session, label, key_id)
    try:
        modulus = int.from_bytes(bytes(key[Attribute.MODULUS]), "big")
    except PKCS11Error:
        return  # some tokens hide the modulus; the signer's self-verification still catches a mismatch
    if modulus != public.public_numbers().n:
        raise CertificateError("the token's private key does not match its certificate")


def _not_exportable(what: str) -> NoReturn:
    raise SigningError(f"{what} is not available: the key never leaves the token")
