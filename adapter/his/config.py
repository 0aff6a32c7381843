"""HIS source settings (section ``[his]``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, SecretStr


class HisSettings(BaseModel):
    """The hospital's database, read-only, and the source profile that reads it."""

    url: SecretStr | None = None               # SQLAlchemy URL of the HIS (read-only account)
    profile: str = "demo"                      # built-in profile name or a folder of SQL files
    profile_dir: Path | None = None
    batch_size: int = 200
    statement_timeout_s: float = 30.0
    poll_interval_s: float = 60.0
    drop_folder: Path | None = None
