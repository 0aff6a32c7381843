"""Generate the XSDs of every produced table and the claim envelope, both profiles.

Writes ``schemas/xml_<profile>/`` (the reference copy in the repository) and
``adapter/data/schemas/xml_<profile>/`` (package data, so an installed adapter has
them). ``--out DIR`` writes one copy under DIR instead (used by the test that checks
the committed files are current).

    .venv/bin/python scripts/gen_xsd.py
"""

from __future__ import annotations

import argparse
from pathlib import Path

from adapter.catalogue import PROFILES
from adapter.mappers.xsd import all_xsd

REPOSITORY = Path(__file__).resolve().parents[1]
TARGETS = (REPOSITORY / "schemas", REPOSITORY / "adapter" / "data" / "schemas")


def write(base: Path) -> list[Path]:
    written = []
    for profile in PROFILES:
        folder = base / f"xml_{profile}"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in all_xsd(profile).items():
            path = folder / name
            path.write_bytes(text.encode("utf-8"))
            written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write one copy under this folder instead")
    args = parser.parse_args()
    for base in (args.out,) if args.out else TARGETS:
        print(f"{len(write(base))} schemas written under {base}")


if __name__ == "__main__":
    main()
