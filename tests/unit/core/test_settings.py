from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapter.settings import Settings, load_settings, masked, read_secret


def test_toml_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "adapter.toml"
    cfg.write_text('workdir = "w"\n[gateway]\nmax_concurrency = 4\n\n[[facilities]]\n'
                   'ma_cskcb = "79001"\nusername = "79001_BV"\npassword = "s3cret"\n', encoding="utf-8")
    monkeypatch.setenv("ADAPTER_GATEWAY__MAX_CONCURRENCY", "6")
    settings = load_settings(cfg)
    assert settings.workdir == Path("w")
    assert settings.gateway.max_concurrency == 6          # environment wins over the file
    assert settings.facilities[0].username == "79001_BV"


def test_secrets_are_masked_everywhere() -> None:
    s = Settings(facilities=[{"ma_cskcb": "79001", "username": "u", "password": "s3cret"}],  # type: ignore[list-item]
                 database_url="postgresql://u:pw@h/db")  # type: ignore[arg-type]
    text = json.dumps(masked(s)) + repr(s) + str(s)
    assert "s3cret" not in text and "pw@" not in text


def test_secret_file_wins(tmp_path: Path) -> None:
    f = tmp_path / "pw"
    f.write_text("from-file\n", encoding="utf-8")
    assert read_secret(None, f) == "from-file"
    assert read_secret(None, None) is None


def test_unknown_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError):
        Settings(no_such_setting=1)  # type: ignore[call-arg]


def test_default_database_is_sqlite_in_workdir() -> None:
    assert Settings(workdir=Path("/tmp/x")).resolved_database_url() == "sqlite:////tmp/x/adapter.db"


def test_invalid_settings_name_the_setting_never_the_value(tmp_path: Path) -> None:
    from adapter.errors import ConfigError

    cfg = tmp_path / "bad.toml"
    cfg.write_text('[[facilities]]\nma_cskcb = "79001"\npassword = "TopSecret-123"\n'
                   '[gateway]\nmax_concurrency = "many"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(cfg)
    text = str(info.value)
    assert "facilities.0.username" in text and "gateway.max_concurrency" in text
    assert "TopSecret-123" not in text and "many" not in text
