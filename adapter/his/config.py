"""HIS source settings (section ``[his]``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, SecretStr


class HisSettings(BaseModel):
    """The hospital's database, read-only, and the source profile that reads it."""

    url: SecretStr | None = None               # SQLAlchemy URL of the HIS (read-only account)
    profile: str = "demo"                      # built-in profile name or a folder of SQL files
    profile_dir: Path | None = None
    source_name: str = "his"                   # watermark key, with the facility code
    batch_size: int = Field(default=200, ge=1, le=5000)
    statement_timeout_s: float = 30.0
    max_text_chars: int = Field(default=65_536, ge=1)   # longer cells make the visit unreadable
    poll_interval_s: float = 60.0
    drop_folder: Path | None = None
    drop_folder_settle_s: float = 2.0          # a file must be unchanged this long before it is taken
