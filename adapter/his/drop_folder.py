"""Drop-folder source: XML files a HIS already exports (single tables or whole GIAMDINHHS files).

Each poll takes the ``*.xml`` files that have stopped changing (``settle_s``), hands the
bytes to the validator given to the constructor, and moves the file to ``done/`` or
``failed/`` with ``<name>.report.json`` beside it. Polling, not OS notifications, so it
behaves the same on Windows servers and network shares.

Crash safety: the report is written (atomically) before the file is moved; a crash in
between leaves the file in the inbox, and the next poll processes it again and
overwrites the report.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from adapter.errors import AdapterError, RetryableError

log = logging.getLogger(__name__)

DONE, FAILED = "done", "failed"
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
RULE_CRASHED = "DROP_VALIDATOR_FAILED"


@dataclass(frozen=True, kw_only=True, slots=True)
class DropVerdict:
    """What the validator says about one file. ``details`` must be JSON-serialisable (no patient data)."""

    ok: bool
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class DropOutcome:
    name: str
    ok: bool
    path: Path                 # where the file is now
    report: Path


Validator = Callable[[str, bytes], DropVerdict]


class DropFolderSource:
    """Processes the files of one inbox folder."""

    def __init__(self, folder: Path, validator: Validator, *, settle_s: float = 2.0,
                 max_bytes: int = DEFAULT_MAX_BYTES, now: Callable[[], float] = time.time) -> None:
        self._inbox = Path(folder)
        self._validate = validator
        self._settle_s = settle_s
        self._max_bytes = max_bytes
        self._now = now

    def pending(self) -> list[Path]:
        """Inbox files ready to process: ``*.xml``, not hidden, unchanged for ``settle_s``."""
        if not self._inbox.is_dir():
            return []
        cutoff = self._now() - self._settle_s
        files = [p for p in self._inbox.iterdir() if p.is_file() and p.suffix.lower() == ".xml"
                 and not p.name.startswith((".", "~"))]
        return sorted(p for p in files if p.stat().st_mtime <= cutoff)

    def poll(self, limit: int = 100) -> list[DropOutcome]:
        """Process up to ``limit`` ready files, oldest name first."""
        return [self._process(path) for path in self.pending()[:limit]]

    def _process(self, path: Path) -> DropOutcome:
        size = path.stat().st_size
        if size > self._max_bytes:
            verdict = DropVerdict(ok=False, details={"rule": "DROP_TOO_LARGE", "bytes": size})
        else:
            verdict = self._verdict(path.name, path.read_bytes())
        target = _free_name(self._inbox / (DONE if verdict.ok else FAILED), path.name)
        report = target.with_name(target.name + ".report.json")
        _write_json(report, _report(path.name, size, verdict))
        os.replace(path, target)
        log.info("drop folder: %s -> %s", path.name, target.parent.name)
        return DropOutcome(name=path.name, ok=verdict.ok, path=target, report=report)

    def _verdict(self, name: str, data: bytes) -> DropVerdict:
        try:
            return self._validate(name, data)
        except RetryableError:
            raise                              # a later poll may succeed: leave the file in the inbox
        except AdapterError as exc:            # the content is wrong: report it, do not retry
            return DropVerdict(ok=False, details={"error": type(exc).__name__, "message": str(exc),
                                                  "rule": getattr(exc, "rule", "")})
        except Exception as exc:  # noqa: BLE001 - one file that crashes the validator must not stop the folder
            # Left in the inbox it would crash every later poll again. The type only: a foreign
            # exception's message may quote the content.
            log.error("drop folder: validator crashed on %s (%s)", name, type(exc).__name__)
            return DropVerdict(ok=False, details={"error": type(exc).__name__, "rule": RULE_CRASHED,
                                                  "message": "the validator failed on this file"})


def _free_name(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    candidate, n = folder / name, 0
    while candidate.exists():
        n += 1
        candidate = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
    return candidate


def _report(name: str, size: int, verdict: DropVerdict) -> dict[str, Any]:
    return {"file": name, "bytes": size, "ok": verdict.ok,
            "processed_at": datetime.now(UTC).isoformat(timespec="seconds"), **dict(verdict.details)}


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, path)
