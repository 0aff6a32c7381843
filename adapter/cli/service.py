"""CLI group ``service``: ``bhyt-adapter run [--once]`` runs the scheduled service."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``run`` to the root parser."""
    run = sub.add_parser("run", help="run the service: poll the HIS, send check-ins, drain the outbox, "
                                     "nightly sweep, retention, certificate checks")
    run.add_argument("--once", action="store_true", help="one pass of poll, check-ins and drain, then exit")
    run.add_argument("--dry-run", action="store_true",
                     help="everything except the network: nothing is sent, no status changes")
    run.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from adapter.bootstrap import bootstrap
    from adapter.scheduler import run_service
    from adapter.settings import load_settings

    settings = load_settings(args.config, **({"dry_run": True} if args.dry_run else {}))
    app: Any = bootstrap(settings)           # App.jobs: adapter.scheduler.ServiceJobs
    try:
        return run_service(app.jobs, settings.outbox.schedule, workdir=settings.workdir,
                           poll_interval_s=settings.his.poll_interval_s, timezone=settings.timezone,
                           once=args.once)
    finally:
        app.close()
