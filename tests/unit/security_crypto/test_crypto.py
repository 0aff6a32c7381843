"""The payload cipher: envelope, key ring, refusal of tampered, moved or foreign ciphertext."""

from __future__ import annotations

import base64
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapter.crypto import (
    MAGIC,
    NullCipher,
    PayloadCipher,
    associated_data,
    cipher_from_files,
    envelope_key_id,
    exposed,
    key_id,
    load_key,
    new_key_text,
    private_dir,
    write_private,
)
from adapter.errors import ConfigError, PermanentError

K1 = bytes(range(32))
K2 = bytes(range(1, 33))
AAD = associated_data(7, 2, "signed")
PLAIN = "<GIAMDINHHS><HO_TEN>Nguyễn Văn A</HO_TEN></GIAMDINHHS>".encode()
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX modes; Windows uses installer ACLs")


def test_round_trip_and_envelope_layout() -> None:
    cipher = PayloadCipher(keys=[K1])
    sealed = cipher.encrypt(PLAIN, aad=AAD)
    assert sealed.startswith(MAGIC + b"\x01" + bytes.fromhex(key_id(K1)))
    assert PLAIN not in sealed and "Nguyễn".encode() not in sealed
    assert len(sealed) == len(PLAIN) + 4 + 1 + 4 + 12 + 16
    assert cipher.decrypt(sealed, aad=AAD, what="item 7") == PLAIN
    assert envelope_key_id(sealed) == key_id(K1) == cipher.current_key_id


def test_nonces_differ_so_equal_payloads_do_not_look_equal() -> None:
    cipher = PayloadCipher(keys=[K1])
    assert cipher.encrypt(PLAIN, aad=AAD) != cipher.encrypt(PLAIN, aad=AAD)


@given(data=st.binary(max_size=2048), item=st.integers(1, 2**31), version=st.integers(1, 999))
def test_any_bytes_round_trip(data: bytes, item: int, version: int) -> None:
    cipher = PayloadCipher(keys=[K1])
    aad = associated_data(item, version, "unsigned")
    assert cipher.decrypt(cipher.encrypt(data, aad=aad), aad=aad, what="x") == data


def test_unknown_key_is_a_permanent_error_naming_item_and_key() -> None:
    sealed = PayloadCipher(keys=[K1]).encrypt(PLAIN, aad=AAD)
    with pytest.raises(PermanentError, match=rf"outbox item 7 .*key {key_id(K1)}.*not in"):
        PayloadCipher(keys=[K2]).decrypt(sealed, aad=AAD, what="outbox item 7 version 2")


def test_tampered_ciphertext_is_refused() -> None:
    cipher = PayloadCipher(keys=[K1])
    sealed = bytearray(cipher.encrypt(PLAIN, aad=AAD))
    sealed[-20] ^= 0x01
    with pytest.raises(PermanentError, match="item 7: encrypted payload failed authentication"):
        cipher.decrypt(bytes(sealed), aad=AAD, what="item 7")


@pytest.mark.parametrize("other", [associated_data(8, 2, "signed"), associated_data(7, 1, "signed"),
                                   associated_data(7, 2, "unsigned")])
def test_ciphertext_moved_to_another_row_or_column_is_refused(other: bytes) -> None:
    cipher = PayloadCipher(keys=[K1])
    sealed = cipher.encrypt(PLAIN, aad=AAD)
    with pytest.raises(PermanentError, match="moved from another row"):
        cipher.decrypt(sealed, aad=other, what="item 8")


def test_truncated_envelope_is_refused() -> None:
    sealed = PayloadCipher(keys=[K1]).encrypt(PLAIN, aad=AAD)
    with pytest.raises(PermanentError, match="bad envelope"):
        PayloadCipher(keys=[K1]).decrypt(sealed[:20], aad=AAD, what="item 7")


def test_rotation_newest_encrypts_all_decrypt() -> None:
    old = PayloadCipher(keys=[K1]).encrypt(PLAIN, aad=AAD)
    ring = PayloadCipher(keys=[K2, K1])
    new = ring.encrypt(PLAIN, aad=AAD)
    assert envelope_key_id(new) == key_id(K2) and ring.key_ids == (key_id(K2), key_id(K1))
    assert ring.decrypt(old, aad=AAD, what="x") == ring.decrypt(new, aad=AAD, what="x") == PLAIN


def test_plaintext_written_before_encryption_reads_through() -> None:
    assert envelope_key_id(PLAIN) is None
    assert PayloadCipher(keys=[K1]).decrypt(PLAIN, aad=AAD, what="x") == PLAIN


def test_null_cipher_passes_plaintext_and_refuses_envelopes_clearly() -> None:
    null = NullCipher()
    assert null.encrypt(PLAIN, aad=AAD) == PLAIN and null.decrypt(PLAIN, aad=AAD, what="x") == PLAIN
    sealed = PayloadCipher(keys=[K1]).encrypt(PLAIN, aad=AAD)
    with pytest.raises(PermanentError, match=rf"item 7 is encrypted with key {key_id(K1)}.*empty"):
        null.decrypt(sealed, aad=AAD, what="item 7")


def test_bad_keys_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="32 bytes"):
        PayloadCipher(keys=[b"short"])
    with pytest.raises(ConfigError, match="at least one key"):
        PayloadCipher(keys=[])


def test_key_files(tmp_path: Path) -> None:
    good = tmp_path / "k.key"
    write_private(good, new_key_text().encode())
    assert len(load_key(good)) == 32
    assert isinstance(cipher_from_files([good]), PayloadCipher)
    assert isinstance(cipher_from_files([]), NullCipher)
    secret_text = "not-base64-SECRETVALUE!!"
    (tmp_path / "bad.key").write_text(secret_text)
    with pytest.raises(ConfigError, match="is not base64") as err:
        load_key(tmp_path / "bad.key")
    assert secret_text not in str(err.value)
    (tmp_path / "short.key").write_text(base64.b64encode(b"x" * 16).decode())
    with pytest.raises(ConfigError, match="must hold 32 bytes"):
        load_key(tmp_path / "short.key")
    with pytest.raises(ConfigError, match="cannot read"):
        load_key(tmp_path / "missing.key")


def test_new_keys_are_random() -> None:
    assert new_key_text() != new_key_text()


@posix_only
def test_private_files_and_directories(tmp_path: Path) -> None:
    target = tmp_path / "secrets" / "deep" / "k.key"
    write_private(target, b"x")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    loose = tmp_path / "loose"
    loose.write_bytes(b"y")
    loose.chmod(0o644)
    write_private(loose, b"z")                     # an existing, readable file is tightened
    assert stat.S_IMODE(loose.stat().st_mode) == 0o600 and loose.read_bytes() == b"z"
    assert stat.S_IMODE(private_dir(tmp_path / "d").stat().st_mode) == 0o700


@posix_only
def test_exposed_names_path_and_mode(tmp_path: Path) -> None:
    f = tmp_path / "pw"
    f.write_text("hunter2")
    f.chmod(0o640)
    problem = exposed(f)
    assert problem is not None and str(f) in problem and "0640" in problem and "hunter2" not in problem
    f.chmod(0o600)
    assert exposed(f) is None
    assert exposed(tmp_path / "absent") is None
