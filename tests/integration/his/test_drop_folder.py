"""Drop folder: ready files are validated and moved to done/ or failed/ with a report beside them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from adapter.errors import SourceUnavailable, XmlInputError
from adapter.his.drop_folder import DropFolderSource, DropVerdict

NOW = 1_800_000_000.0


def _validator(name: str, data: bytes) -> DropVerdict:
    if b"<!DOCTYPE" in data:
        raise XmlInputError("DTD not allowed")
    if data.lstrip().startswith(b"<GIAMDINHHS"):
        return DropVerdict(ok=True, details={"kind": "GIAMDINHHS", "issues": []})
    return DropVerdict(ok=False, details={"issues": [{"rule": "ROOT_UNKNOWN"}]})


def _drop(inbox: Path, name: str, data: bytes, age_s: float = 60) -> Path:
    inbox.mkdir(exist_ok=True)
    path = inbox / name
    path.write_bytes(data)
    os.utime(path, (NOW - age_s, NOW - age_s))
    return path


def _source(inbox: Path, *, settle_s: float = 2.0, max_bytes: int = 1 << 20) -> DropFolderSource:
    return DropFolderSource(inbox, _validator, now=lambda: NOW, settle_s=settle_s, max_bytes=max_bytes)


def test_good_and_bad_files_are_moved_with_reports(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _drop(inbox, "a.xml", b"<GIAMDINHHS><THONGTINDONVI/></GIAMDINHHS>")
    _drop(inbox, "b.XML", b"<TONG_HOP/>")
    _drop(inbox, "c.xml", b'<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>')
    _drop(inbox, "notes.txt", b"ignored")
    outcomes = {o.name: o for o in _source(inbox).poll()}
    assert sorted(outcomes) == ["a.xml", "b.XML", "c.xml"]
    assert outcomes["a.xml"].ok and outcomes["a.xml"].path == inbox / "done" / "a.xml"
    assert not outcomes["b.XML"].ok and outcomes["b.XML"].path.parent.name == "failed"
    report = json.loads((inbox / "failed" / "c.xml.report.json").read_text(encoding="utf-8"))
    assert report["ok"] is False and report["error"] == "XmlInputError" and report["file"] == "c.xml"
    good = json.loads(outcomes["a.xml"].report.read_text(encoding="utf-8"))
    assert good["kind"] == "GIAMDINHHS" and good["bytes"] > 0
    assert sorted(p.name for p in inbox.iterdir()) == ["done", "failed", "notes.txt"]


def test_files_still_being_written_wait_and_hidden_files_are_skipped(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _drop(inbox, "fresh.xml", b"<GIAMDINHHS/>", age_s=0.5)
    _drop(inbox, ".partial.xml", b"<GIAMDINHHS/>")
    assert _source(inbox, settle_s=2.0).poll() == []
    assert [o.name for o in _source(inbox, settle_s=0.1).poll()] == ["fresh.xml"]


def test_same_name_twice_keeps_both_and_oversize_fails_without_reading(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    _drop(inbox, "a.xml", b"<GIAMDINHHS/>")
    _source(inbox).poll()
    _drop(inbox, "a.xml", b"<GIAMDINHHS/>")
    _drop(inbox, "big.xml", b"<GIAMDINHHS>" + b" " * 2000 + b"</GIAMDINHHS>")
    outcomes = {o.name: o for o in _source(inbox, max_bytes=1000).poll()}
    assert outcomes["a.xml"].path.name == "a-1.xml" and (inbox / "done" / "a.xml").exists()
    report = json.loads(outcomes["big.xml"].report.read_text(encoding="utf-8"))
    assert report["rule"] == "DROP_TOO_LARGE" and not outcomes["big.xml"].ok


def test_a_retryable_failure_leaves_the_file_in_the_inbox(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    path = _drop(inbox, "a.xml", b"<GIAMDINHHS/>")

    def unavailable(name: str, data: bytes) -> DropVerdict:
        raise SourceUnavailable("validator's catalogue database is down")

    with pytest.raises(SourceUnavailable):
        DropFolderSource(inbox, unavailable, now=lambda: NOW).poll()
    assert path.exists() and not (inbox / "failed").exists()


def test_a_validator_crash_fails_that_file_only_and_names_the_exception_type(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    inbox = tmp_path / "inbox"
    _drop(inbox, "a-crash.xml", b"<GIAMDINHHS>Nguyen Van A</GIAMDINHHS>")
    _drop(inbox, "b-good.xml", b"<GIAMDINHHS/>")

    def fragile(name: str, data: bytes) -> DropVerdict:
        if b"Nguyen" in data:
            raise ArithmeticError(f"cannot handle {data!r}")     # a message quoting the content
        return _validator(name, data)

    outcomes = {o.name: o for o in DropFolderSource(inbox, fragile, now=lambda: NOW).poll()}
    assert outcomes["b-good.xml"].ok and not outcomes["a-crash.xml"].ok
    assert outcomes["a-crash.xml"].path == inbox / "failed" / "a-crash.xml"
    report = json.loads(outcomes["a-crash.xml"].report.read_text(encoding="utf-8"))
    assert (report["error"], report["rule"]) == ("ArithmeticError", "DROP_VALIDATOR_FAILED")
    assert "Nguyen" not in json.dumps(report) and "Nguyen" not in caplog.text
    assert "a-crash.xml" in caplog.text and "ArithmeticError" in caplog.text
    assert sorted(p.name for p in inbox.glob("*.xml")) == []
