"""Write the bad-input corpus out, and regenerate docs/bad-input.md (the table of case -> expected rule).

    .venv/bin/python scripts/make_corpus.py                  # rewrite docs/bad-input.md
    .venv/bin/python scripts/make_corpus.py --files DIR      # also write the XML files to DIR
    .venv/bin/python scripts/make_corpus.py --check          # exit 1 when docs/bad-input.md is stale

The cases live in tests/badinput/badinput_his.py (HIS rows) and badinput_files.py (XML files);
they are deterministic, so the document and the files are the same on every run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "badinput"))
sys.path.insert(0, str(ROOT / "tests" / "security"))

import badinput_files  # noqa: E402
import badinput_his  # noqa: E402

DOC = ROOT / "docs" / "bad-input.md"

HEADER = """# Bad input: what the adapter does with it

Issue 10, items 6–8. Every case below is a test (`tests/badinput/`): the HIS cases corrupt one
encounter each of ONE demo HIS that goes through the real pipeline (SQL reader, mappers,
validation, signing, outbox, HTTP to the simulator); the file cases go through
`validate_document`, `bhyt-adapter validate` and the `[his] drop_folder` of a running App (refused
files land in `failed/` with the located issues in their report; the clean claim is queued and sent).
The HIS corpus also runs on PostgreSQL and MariaDB (`test_badinput_backends.py`): every corruption the
server can store must end exactly as on SQLite. *Held* means the outbox item is `needs_fix`
with an issue carrying the rule at the place named (`TABLE.field`; `HIS.<view>[row].<column>`
for rows the reader could not convert). *Sent* means accepted by the simulator, with no
blocking issue. A **known bug** row is a strict `xfail` today: the expected column says what
must happen once it is fixed.

Beside the table: hypothesis fuzzes HIS rows (pure and through SQLite) and XML bytes
(`test_badinput_fuzz.py`); `tests/security/` feeds XXE / entity-expansion / DTD / XInclude
attacks to every XML reader and searches every log line and CLI output for patient data.

Regenerate with `.venv/bin/python scripts/make_corpus.py` (a test fails when this file is stale).
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _expected(case: badinput_his.HisCase) -> str:
    if case.rule is None:
        return "sent"
    return f"{'sent, warning' if case.warn else 'held'}: `{case.rule}` at `{case.where}`"


def _status(bug: str) -> str:
    return "**known bug**" if bug else "passes"


def his_table() -> list[str]:
    rows = [
        "## HIS rows",
        "",
        "| # | case | category | corruption | expected | today |",
        "|---|---|---|---|---|---|",
    ]
    for n, c in enumerate(badinput_his.cases(), start=1):
        rows.append(
            f"| {n} | `{c.name}` | {c.category} | {_cell(c.what)} | {_expected(c)} | {_status(c.bug)} |"
        )
    return rows


def file_table() -> list[str]:
    rows = [
        "## XML files",
        "",
        "| # | file | category | defect | expected | today |",
        "|---|---|---|---|---|---|",
    ]
    for n, c in enumerate(badinput_files.cases(), start=1):
        expected = "no blocking issue" if c.rule is None else f"`{c.rule}` at `{c.where}`"
        rows.append(
            f"| {n} | `{c.name}.xml` | {c.category} | {_cell(c.what)} | {expected} | {_status(c.bug)} |"
        )
    return rows


# Bugs this corpus found that are fixed: each is now a plain regression test.
FIXED = (
    "MariaDB keeps invalid UTF-8 (ED A0 80) in utf8mb4; PyMySQL's strict decoding broke the connection and "
    "every poll (ConfigError). The read-only engine now decodes leniently and that encounter alone is held "
    "as `HIS_BAD_UTF8` (`test_invalid_utf8_in_mariadb_is_held_not_fatal`).",
    "~30-digit numbers overflowed the 28-digit Decimal context (`decimal.InvalidOperation` out of "
    "`validate_document`, the CLI and the drop folder). `r2()` now quantizes with the precision the value "
    "needs, the money rules compute in 60 digits, numbers >= 10^15 are left to `FIELD_TOO_LONG` / "
    "`FIELD_NOT_NUMBER`, and the drop folder fails a file whose validator raises anything.",
    "`<!ENTITY` / `<!DOCTYPE` / `&#0;` written as data inside CDATA were refused: only the prolog is scanned "
    "for declarations now (then the parsed tree is checked for a DTD or entity node).",
    "UTF-16/UTF-32 files were `TEXT_CONTROL_CHAR` (their NUL bytes): the encoding is read first; any "
    "encoding but UTF-8 is `FILE_NOT_UTF8`, and a DTD in it is still `XML_UNSAFE`.",
)


def bugs() -> list[str]:
    found = [c.bug for c in badinput_his.cases()] + [c.bug for c in badinput_files.cases()]
    seen = dict.fromkeys(b for b in found if b)
    known = [f"* {_cell(b)}" for b in seen] or ["None today."]
    fixed = [f"* {_cell(f)}" for f in FIXED]
    return ["## Known bugs (strict xfail)", "", *known, "", "## Fixed (now regression tests)", "", *fixed]


def document() -> str:
    his, files = badinput_his.cases(), badinput_files.cases()
    summary = (
        f"{len(his)} HIS cases and {len(files)} files: {len(his) + len(files)} in all, "
        f"{sum(1 for c in his if c.bug) + sum(1 for f in files if f.bug)} of them known bugs today."
    )
    return "\n".join([HEADER, summary, "", *his_table(), "", *file_table(), "", *bugs(), ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=Path, help="write the XML files of the corpus to this folder")
    parser.add_argument("--check", action="store_true", help="only check that docs/bad-input.md is current")
    args = parser.parse_args(argv)
    text = document()
    if args.check:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        print(
            "docs/bad-input.md is " + ("current" if current == text else "STALE: run scripts/make_corpus.py")
        )
        return 0 if current == text else 1
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    if args.files:
        written = badinput_files.write(args.files)
        print(f"wrote {len(written)} files to {args.files}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
