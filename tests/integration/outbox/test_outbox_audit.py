"""Every state change made by hand leaves exactly one audit row: who, when, what, why.

The actions are run as an operator runs them: ``bhyt-adapter queue ...`` on a real SQLite
outbox, each from the state it applies to.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from adapter.cli.main import main
from adapter.crypto import new_key_text, write_private
from adapter.outbox.open import open_store
from adapter.outbox.retry import Action, Decision
from adapter.outbox.states import Status
from adapter.outbox.store import OutboxStore
from adapter.outbox.tables import audit_log
from adapter.outbox.values import NewVersion, sha256_hex
from adapter.ports import DocumentKind, GatewayReply
from adapter.settings import Settings

OPERATOR = "nguyen.ops"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[OutboxStore]:
    key = tmp_path / "keys" / "payload.key"
    write_private(key, new_key_text().encode())
    monkeypatch.setenv("ADAPTER_WORKDIR", str(tmp_path / "var"))
    monkeypatch.setenv("ADAPTER_OUTBOX__ENCRYPTION_KEY_FILES", json.dumps([str(key)]))
    monkeypatch.delenv("ADAPTER_CONFIG", raising=False)
    monkeypatch.delenv("ADAPTER_DATABASE_URL", raising=False)
    # Set up with encryption off: the rows are plaintext, so ``rekey`` has work to do.
    plain = OutboxStore(open_store(Settings(workdir=tmp_path / "var", outbox={})).engine)  # type: ignore[arg-type]
    yield plain
    plain.engine.dispose()


def _version(ma_lk: str, body: str = "v1") -> NewVersion:
    unsigned = f"<TONG_HOP><MA_LK>{ma_lk}</MA_LK><X>{body}</X></TONG_HOP>".encode()
    return NewVersion(ma_cskcb="79001", ma_lk=ma_lk, kind=DocumentKind.CLAIM, profile="3176",
                      content_hash=sha256_hex(unsigned), unsigned=unsigned, signed=unsigned + b"<sig/>")


def _item_in(store: OutboxStore, ma_lk: str, status: Status) -> int:
    """An item driven through the real store into ``status``."""
    now = datetime.now(UTC) - timedelta(minutes=5)
    item_id = store.enqueue(_version(ma_lk), now=now).item_id
    if status is Status.READY:
        return item_id
    (item,) = store.claim("w1", limit=1, now=now, lease_s=60)
    if status in (Status.ACCEPTED, Status.HELD):
        store.complete(item, GatewayReply(code="200", transaction_id="GD"), worker_id="w1",
                       started_at=now, now=now)
        if status is Status.HELD:
            store.enqueue(_version(ma_lk, "edited after acceptance"), now=now)
    else:
        action = {Status.DEAD: Action.DEAD, Status.RETRY_WAIT: Action.RETRY, Status.REJECTED: Action.REJECT}
        decision = Decision(action=action[status], reason="scripted", retry_at=now + timedelta(hours=1))
        store.fail(item, decision, RuntimeError("scripted"), worker_id="w1", started_at=now, now=now)
    detail = store.get(item_id)
    assert detail is not None and detail.item.status is status
    return item_id


# (what the operator does, the state it starts from, the command, the audit action, the status after)
ACTIONS: list[tuple[str, Status | None, list[str], str, Status | None]] = [
    ("retry a dead item", Status.DEAD, ["retry", "{id}"], "retry", Status.READY),
    ("retry waiting items", Status.RETRY_WAIT, ["retry", "--status", "retry_wait"], "retry", Status.READY),
    ("cancel", Status.READY, ["cancel", "{id}"], "cancel", Status.CANCELLED),
    ("resend a correction", Status.REJECTED, ["resend", "{id}"], "resend", Status.READY),
    ("approve a held replacement", Status.HELD, ["resend", "{id}"], "resend", Status.READY),
    ("decline a held replacement", Status.HELD, ["cancel", "{id}"], "decline", Status.ACCEPTED),
    ("pause a facility", None, ["pause", "79001"], "pause", None),
    ("resume a facility", None, ["resume", "79001"], "resume", None),
    ("prune payloads now", Status.ACCEPTED, ["prune", "--days", "0"], "prune", Status.ACCEPTED),
    ("rotate the payload key", Status.READY, ["rekey"], "rekey", Status.READY),
]


def _audit_rows(store: OutboxStore) -> list[dict[str, Any]]:
    with store.engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(select(audit_log).order_by(audit_log.c.id))]


@pytest.mark.parametrize(("label", "start", "command", "action", "after"), ACTIONS,
                         ids=[a[0] for a in ACTIONS])
def test_each_operator_action_writes_one_audit_row(
    store: OutboxStore, capsys: pytest.CaptureFixture[str], label: str, start: Status | None,
    command: list[str], action: str, after: Status | None,
) -> None:
    item_id = _item_in(store, "LK1", start) if start is not None else None
    before = _audit_rows(store)
    argv = ["queue", *[a.format(id=item_id) for a in command], "--operator", OPERATOR,
            "--reason", f"ticket 42: {label}"]
    started = datetime.now(UTC)
    assert main(argv) == 0, capsys.readouterr()
    new = _audit_rows(store)[len(before):]
    assert len(new) == 1, new
    row = new[0]
    assert (row["actor"], row["action"], row["reason"]) == (OPERATOR, action, f"ticket 42: {label}")
    assert started - timedelta(seconds=5) <= row["at"] <= datetime.now(UTC)
    if command[-1] == "{id}":
        assert (row["item_id"], row["ma_cskcb"]) == (item_id, "79001")
    if item_id is not None and after is not None:
        detail = store.get(item_id)
        assert detail is not None and detail.item.status is after


def test_the_table_covers_every_state_changing_queue_command() -> None:
    """A new hand action must be added to ACTIONS (and audited) before this passes."""
    import argparse

    from adapter.cli import queue

    root = argparse.ArgumentParser()
    queue.register(root.add_subparsers())
    sub = next(a for a in root._subparsers._group_actions  # type: ignore[union-attr]
               if isinstance(a, argparse._SubParsersAction))
    qsub = next(a for a in sub.choices["queue"]._actions if isinstance(a, argparse._SubParsersAction))
    read_only = {"list", "show", "export", "keygen"}
    assert set(qsub.choices) - read_only == {a[2][0] for a in ACTIONS}


def test_bulk_retry_writes_one_row_per_item(store: OutboxStore) -> None:
    ids = [_item_in(store, f"LK{i}", Status.DEAD) for i in range(3)]
    argv = ["queue", "retry", "--status", "dead", "--operator", OPERATOR, "--reason", "gateway back"]
    assert main(argv) == 0
    rows = [r for r in _audit_rows(store) if r["action"] == "retry"]
    assert sorted(r["item_id"] for r in rows) == ids and {r["actor"] for r in rows} == {OPERATOR}
    with store.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(audit_log)).scalar() == 3
