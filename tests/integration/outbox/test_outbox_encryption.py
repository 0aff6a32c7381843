"""Encryption at rest in the real outbox (SQLite files): sealed columns, exact bytes sent, rotation."""

from __future__ import annotations

import os
import random
import stat
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from outbox_support import create_outbox_tables, server_database
from sqlalchemy import Engine, select, update

from adapter.crypto import MAGIC, PayloadCipher, envelope_key_id, key_id, new_key_text, write_private
from adapter.errors import ConfigError, PermanentError
from adapter.outbox.open import open_store, permission_problems
from adapter.outbox.retry import RetryPolicy
from adapter.outbox.states import Status
from adapter.outbox.store import OutboxStore
from adapter.outbox.tables import audit_log, outbox_version
from adapter.outbox.values import NewVersion, sha256_hex
from adapter.outbox.worker import Worker
from adapter.ports import FixedClock, GatewayReply
from adapter.settings import Settings
from adapter.transport.fake import InMemoryGateway

MakeVersion = Callable[..., NewVersion]
K1, K2 = os.urandom(32), os.urandom(32)
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX modes; Windows uses installer ACLs")


def sealed(engine: Engine, cipher_keys: list[bytes]) -> OutboxStore:
    return OutboxStore(engine, cipher=PayloadCipher(keys=cipher_keys))


def raw(engine: Engine, item_id: int, version: int = 1) -> tuple[bytes | None, bytes | None]:
    with engine.connect() as c:
        r = c.execute(select(outbox_version.c.unsigned_payload, outbox_version.c.signed_payload).where(
            outbox_version.c.item_id == item_id, outbox_version.c.version == version)).one()
    return r[0], r[1]


def audits(engine: Engine, action: str) -> list[dict[str, object]]:
    with engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(select(audit_log).where(audit_log.c.action == action))]


def test_columns_are_sealed_hashes_are_of_plaintext(sqlite_engine: Engine, make_version: MakeVersion,
                                                    now: datetime) -> None:
    store = sealed(sqlite_engine, [K1])
    v = make_version("LK1")
    item_id = store.enqueue(v, now=now).item_id
    unsigned, signed = raw(sqlite_engine, item_id)
    assert unsigned is not None and signed is not None
    assert unsigned.startswith(MAGIC) and signed.startswith(MAGIC) and b"MA_LK" not in unsigned + signed
    assert envelope_key_id(signed) == key_id(K1)
    assert store.payload(item_id) == v.signed
    detail = store.get(item_id)
    assert detail is not None and detail.versions[0].signed_hash == sha256_hex(v.signed or b"")


def test_signature_attached_later_is_sealed(sqlite_engine: Engine, make_version: MakeVersion,
                                            now: datetime) -> None:
    store = sealed(sqlite_engine, [K1])
    item_id = store.enqueue(make_version("LK1", signed=False), now=now).item_id
    (pending,) = store.pending_signatures(limit=5)
    assert pending.unsigned == make_version("LK1").unsigned
    assert store.attach_signature(item_id, 1, b"<signed/>", fingerprint="ff", now=now)
    assert (raw(sqlite_engine, item_id)[1] or b"").startswith(MAGIC)
    (claimed,) = store.claim("w1", limit=5, now=now, lease_s=60)
    assert claimed.payload == b"<signed/>"


def test_whole_drain_sends_the_exact_signed_bytes(sqlite_engine: Engine, make_version: MakeVersion,
                                                  now: datetime) -> None:
    store = sealed(sqlite_engine, [K1])
    versions = [make_version(f"LK{i}") for i in range(6)]
    for v in versions:
        store.enqueue(v, now=now)
    gateway = InMemoryGateway(facilities={"79001"})
    policy = RetryPolicy(max_attempts=3, base_delay=timedelta(seconds=1), max_delay=timedelta(seconds=5))
    report = Worker(store, gateway, policy, clock=FixedClock(at=now), worker_id="w1",
                    rng=random.Random(1)).drain()
    assert report.accepted == 6
    assert [t.sha256 for t in gateway.taken] == [sha256_hex(v.signed or b"") for v in versions]
    assert all(store.get(i) is not None for i in range(1, 7))
    detail = store.get(1)
    assert detail is not None and detail.item.status is Status.ACCEPTED
    assert detail.attempts[0].request_hash == sha256_hex(versions[0].signed or b"")


def test_swapped_rows_are_refused_and_do_not_block_the_queue(sqlite_engine: Engine, make_version: MakeVersion,
                                                             now: datetime) -> None:
    store = sealed(sqlite_engine, [K1])
    a = store.enqueue(make_version("LKA"), now=now).item_id
    b = store.enqueue(make_version("LKB"), now=now).item_id
    stolen = raw(sqlite_engine, a)[1]
    with sqlite_engine.begin() as c:        # someone with DB write access moves A's claim onto B
        c.execute(update(outbox_version).where(outbox_version.c.item_id == b).values(signed_payload=stolen))
    claimed = store.claim("w1", limit=5, now=now, lease_s=60)
    assert [c.item_id for c in claimed] == [a]
    detail = store.get(b)
    assert detail is not None and detail.item.status is Status.DEAD
    assert detail.item.last_error is not None and f"outbox item {b} version 1" in detail.item.last_error
    assert detail.attempts[-1].outcome == "dead" and detail.attempts[-1].error_class == "PermanentError"
    with pytest.raises(PermanentError, match=f"outbox item {b} .*failed authentication"):
        store.payload(b)


def test_missing_key_names_item_and_key(sqlite_engine: Engine, make_version: MakeVersion,
                                        now: datetime) -> None:
    item_id = sealed(sqlite_engine, [K1]).enqueue(make_version("LK1"), now=now).item_id
    other = sealed(sqlite_engine, [K2])
    with pytest.raises(PermanentError, match=rf"outbox item {item_id} .*key {key_id(K1)}"):
        other.payload(item_id)
    assert other.due_items(now=now, limit=5) == []          # a dry run skips it, says why in the log
    assert other.claim("w1", limit=5, now=now, lease_s=60) == []
    detail = other.get(item_id)
    assert detail is not None and detail.item.status is Status.DEAD
    assert key_id(K1) in (detail.item.last_error or "")


def test_rotation_mixed_rows_then_rekey(sqlite_engine: Engine, make_version: MakeVersion,
                                        now: datetime) -> None:
    old = sealed(sqlite_engine, [K1]).enqueue(make_version("OLD"), now=now).item_id
    plain = OutboxStore(sqlite_engine).enqueue(make_version("PLAIN"), now=now).item_id   # before encryption
    ring = sealed(sqlite_engine, [K2, K1])
    new = ring.enqueue(make_version("NEW"), now=now).item_id
    assert {envelope_key_id(raw(sqlite_engine, i)[1] or b"") for i in (old, plain, new)} == {
        key_id(K1), None, key_id(K2)}
    assert [ring.payload(i) for i in (old, plain, new)] == [
        make_version(m).signed for m in ("OLD", "PLAIN", "NEW")]
    report = ring.rekey(actor="ops", reason="annual rotation", now=now, batch_size=1)
    # three batches of one version; the last one (already on K2) changes nothing and is not audited
    assert (report.key_id, report.scanned, report.rewritten, report.batches) == (key_id(K2), 3, 4, 2)
    rows = audits(sqlite_engine, "rekey")
    assert [(r["actor"], r["reason"]) for r in rows] == [("ops", "annual rotation")] * 2
    newest_only = sealed(sqlite_engine, [K2])                 # the old key file can now be removed
    for i, m in ((old, "OLD"), (plain, "PLAIN"), (new, "NEW")):
        assert {envelope_key_id(p or b"") for p in raw(sqlite_engine, i)} == {key_id(K2)}
        assert newest_only.payload(i) == make_version(m).signed
    again = newest_only.rekey(actor="ops", reason="again", now=now)
    assert again.rewritten == 0 and len(audits(sqlite_engine, "rekey")) == 2


def test_rekey_leaves_pruned_versions_pruned(sqlite_engine: Engine, make_version: MakeVersion,
                                             now: datetime) -> None:
    store = sealed(sqlite_engine, [K1])
    item_id = store.enqueue(make_version("LK1"), now=now).item_id
    (item,) = store.claim("w1", limit=1, now=now, lease_s=60)
    reply = GatewayReply(code="200", transaction_id="T")
    store.complete(item, reply, worker_id="w1", started_at=now, now=now)
    assert store.prune(now + timedelta(days=100), 90) == 1
    report = sealed(sqlite_engine, [K2, K1]).rekey(actor="ops", reason="r", now=now)
    assert report.rewritten == 0 and raw(sqlite_engine, item_id) == (None, None)


def test_rekey_needs_encryption_on(sqlite_engine: Engine) -> None:
    with pytest.raises(ConfigError, match="encryption is off"):
        OutboxStore(sqlite_engine).rekey(actor="ops", reason="r", now=datetime.now().astimezone())


def _settings(tmp_path: Path, **outbox: object) -> Settings:
    return Settings(workdir=tmp_path / "var", outbox=outbox)  # type: ignore[arg-type]


def test_open_store_builds_the_cipher_from_key_files(tmp_path: Path, make_version: MakeVersion,
                                                     now: datetime) -> None:
    key = tmp_path / "keys" / "k1.key"
    write_private(key, new_key_text().encode())
    store = open_store(_settings(tmp_path, encryption_key_files=[key]))
    item_id = store.enqueue(make_version("LK1"), now=now).item_id
    assert (raw(store.engine, item_id)[1] or b"").startswith(MAGIC)
    store.engine.dispose()
    key.write_text("garbage")
    with pytest.raises(ConfigError, match="not base64"):
        open_store(_settings(tmp_path, encryption_key_files=[key]))


@posix_only
def test_sqlite_files_and_workdir_are_private(tmp_path: Path, make_version: MakeVersion,
                                              now: datetime) -> None:
    store = open_store(_settings(tmp_path))
    store.enqueue(make_version("LK1"), now=now)
    db = tmp_path / "var" / "adapter.db"
    with store.engine.connect():            # the WAL file exists while a connection is open
        for f in (db, db.with_name("adapter.db-wal"), db.with_name("adapter.db-shm")):
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    store.engine.dispose()


@posix_only
def test_permission_problems_name_loose_secret_files(tmp_path: Path) -> None:
    key = tmp_path / "k.key"
    write_private(key, new_key_text().encode())
    pw = tmp_path / "gw.pw"
    pw.write_text("S3cret-gateway-pw")
    pw.chmod(0o644)
    settings = Settings(workdir=tmp_path / "var", outbox={"encryption_key_files": [key]},  # type: ignore[arg-type]
                        facilities=[{"ma_cskcb": "79001", "username": "u", "password_file": pw}],  # type: ignore[list-item]
                        signing={"kind": "pkcs12", "password_file": pw})  # type: ignore[arg-type]
    open_store(settings).engine.dispose()
    problems = permission_problems(settings)
    assert problems == [f"{pw} is accessible by group/others (mode 0644); chmod 600 it"] * 2
    assert all("S3cret" not in p for p in problems)
    pw.chmod(0o600)
    assert permission_problems(settings) == []


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres),
                        pytest.param("mariadb", marks=pytest.mark.mariadb)])
def any_engine(request: pytest.FixtureRequest, sqlite_engine: Engine) -> Iterator[Engine]:
    if request.param == "sqlite":
        yield sqlite_engine
        return
    with server_database(request.param, "adapter_t_outbox_crypto") as engine:
        create_outbox_tables(engine)
        yield engine


def test_sealed_rows_rotation_and_swap_on_every_database(any_engine: Engine, make_version: MakeVersion,
                                                         now: datetime) -> None:
    """Blob comparison (rekey's guard), row-value paging and binding behave alike on every dialect."""
    first = sealed(any_engine, [K1])
    ids = [first.enqueue(make_version(f"LK{i}"), now=now).item_id for i in range(3)]
    ring = sealed(any_engine, [K2, K1])
    assert ring.rekey(actor="ops", reason="rotation", now=now, batch_size=2).rewritten == 6
    assert {envelope_key_id(p or b"") for i in ids for p in raw(any_engine, i)} == {key_id(K2)}
    stolen = raw(any_engine, ids[0])[1]
    with any_engine.begin() as c:
        c.execute(update(outbox_version).where(outbox_version.c.item_id == ids[2])
                  .values(signed_payload=stolen))
    newest = sealed(any_engine, [K2])
    claimed = newest.claim("w1", limit=5, now=now, lease_s=60)
    assert [(c.item_id, c.payload) for c in claimed] == [(i, make_version(f"LK{n}").signed)
                                                         for n, i in enumerate(ids[:2])]
    detail = newest.get(ids[2])
    assert detail is not None and detail.item.status is Status.DEAD


def test_cli_payload_is_the_plaintext_signed_bytes(tmp_path: Path, make_version: MakeVersion, now: datetime,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    from adapter.cli.main import main

    key = tmp_path / "keys" / "k.key"
    write_private(key, new_key_text().encode())
    monkeypatch.setenv("ADAPTER_WORKDIR", str(tmp_path / "var"))
    monkeypatch.setenv("ADAPTER_OUTBOX__ENCRYPTION_KEY_FILES", f'["{key.as_posix()}"]')
    monkeypatch.delenv("ADAPTER_CONFIG", raising=False)
    monkeypatch.delenv("ADAPTER_DATABASE_URL", raising=False)
    store = open_store(Settings())
    v = make_version("LK1")
    item_id = store.enqueue(v, now=now).item_id
    assert (raw(store.engine, item_id)[1] or b"").startswith(MAGIC)
    out = tmp_path / "out" / "claim.xml"
    assert main(["queue", "show", str(item_id), "--payload", "-o", str(out)]) == 0
    assert out.read_bytes() == v.signed
    if os.name == "posix":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    capsysbinary.readouterr()
    assert main(["queue", "show", str(item_id), "--payload"]) == 0
    assert capsysbinary.readouterr().out == v.signed
    store.engine.dispose()


def test_unreadable_unsigned_payload_goes_to_needs_fix_and_signing_goes_on(
        sqlite_engine: Engine, make_version: MakeVersion, now: datetime) -> None:
    store = sealed(sqlite_engine, [K1])
    bad = store.enqueue(make_version("BAD", signed=False), now=now).item_id
    good = store.enqueue(make_version("GOOD", signed=False), now=now).item_id
    tampered = bytearray(raw(sqlite_engine, bad)[0] or b"")
    tampered[-1] ^= 0x01
    with sqlite_engine.begin() as c:
        c.execute(update(outbox_version).where(outbox_version.c.item_id == bad)
                  .values(unsigned_payload=bytes(tampered)))
    assert [p.item_id for p in store.pending_signatures(limit=5)] == [good]      # a preview: untouched
    assert [p.item_id for p in store.pending_signatures(limit=5, now=now)] == [good]
    detail = store.get(bad)
    assert detail is not None and detail.item.status is Status.NEEDS_FIX
    assert f"outbox item {bad} version 1 (unsigned payload)" in (detail.item.last_error or "")
