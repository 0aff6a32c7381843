"""``bhyt-adapter``: the operator CLI. Parses, calls services, prints. No logic here.

Each command group lives in its own module with ``register(subparsers)``; handlers
import what they need lazily so that ``bhyt-adapter --help`` stays fast.
Exit codes: 0 success, 1 the operation found problems (rejections, blocking issues,
invalid signature), 2 usage or configuration error, 3 unexpected failure.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

GROUPS = ("demo", "queue", "service", "signing", "simulator", "validate", "his", "fhir", "staff", "admin")


def _version() -> str:
    from adapter import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bhyt-adapter",
        description="HIS to BHYT gateway adapter: extract, map, validate, sign and submit QĐ 4750/3176 XML.",
    )
    parser.add_argument("--config", type=Path, help="TOML configuration file (or ADAPTER_CONFIG)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in GROUPS:
        importlib.import_module(f"adapter.cli.{name}").register(sub)
    return parser


def _configure_logging(verbosity: int) -> None:
    level = logging.WARNING - 10 * min(verbosity, 2)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    from adapter.logs import quiet_third_party_loggers

    quiet_third_party_loggers()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from adapter.errors import AdapterError, ConfigError

    try:
        code: int = args.func(args)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except AdapterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as a Unix tool does.
        sys.stderr.close()
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
