"""Validating files on disk: the one place in ``adapter.validation`` that reads anything."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from adapter.catalogue import Profile
from adapter.validation.engine import ContextArg, ValidationReport, validate_document


@dataclass(frozen=True, kw_only=True, slots=True)
class FileReport:
    path: Path
    report: ValidationReport


def xml_files(path: Path) -> list[Path]:
    """The XML files under a path (a file, or a folder searched recursively), in name order."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".xml")
    return [path]


def validate_path(
    path: Path, profile: Profile | None = None, context: ContextArg = None
) -> list[FileReport]:
    """Validate every XML file at ``path``; one report per file."""
    return [
        FileReport(path=p, report=validate_document(p.read_bytes(), profile, context))
        for p in xml_files(path)
    ]
