"""Build the HIS source from settings (called by ``adapter.bootstrap``, the composition root)."""

from __future__ import annotations

from sqlalchemy import Engine

from adapter.errors import ConfigError
from adapter.his.config import HisSettings
from adapter.his.engine import readonly_engine
from adapter.his.profile import SourceProfile
from adapter.his.reader import SqlHisSource


def build_source(his: HisSettings, *, ma_cskcb: str) -> tuple[Engine, SqlHisSource]:
    """The read-only HIS engine (the caller disposes of it) and the reader for one facility."""
    if his.url is None:
        raise ConfigError("no HIS database: set [his] url (or ADAPTER_HIS__URL)")
    profile = SourceProfile.load(his.profile_dir or his.profile)
    engine = readonly_engine(his.url.get_secret_value(), statement_timeout_s=his.statement_timeout_s)
    source = SqlHisSource(engine, profile, ma_cskcb=ma_cskcb, batch_size=his.batch_size,
                          max_text=his.max_text_chars)
    return engine, source
