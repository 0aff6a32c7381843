"""The one settings model: a TOML file plus ``ADAPTER_`` environment variables.

Precedence (highest first): explicit arguments, ``ADAPTER_*`` environment variables
(nested with ``__``, e.g. ``ADAPTER_GATEWAY__BASE_URL``), the TOML file named by
``--config`` or ``ADAPTER_CONFIG``, then the defaults below. Secrets are ``SecretStr``
or files; ``bhyt-adapter config check`` prints everything with secrets masked.
Read once, in ``adapter.bootstrap``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from adapter.his.config import HisSettings
from adapter.mappers.fhir.config import FhirSettings
from adapter.outbox.config import OutboxSettings
from adapter.registry.config import RegistrySettings
from adapter.signing.config import SigningSettings
from adapter.transport.config import FacilityAccount, GatewaySettings
from adapter.validation.config import ValidationSettings


class Settings(BaseSettings):
    """Everything the adapter reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="ADAPTER_", env_nested_delimiter="__", extra="forbid")

    workdir: Path = Path("var")
    database_url: SecretStr | None = None      # the adapter's own DB; default SQLite in workdir
    timezone: str = "Asia/Ho_Chi_Minh"
    dry_run: bool = False
    facilities: list[FacilityAccount] = Field(default_factory=list)
    his: HisSettings = Field(default_factory=HisSettings)
    signing: SigningSettings = Field(default_factory=SigningSettings)
    gateway: GatewaySettings = Field(default_factory=GatewaySettings)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    validation: ValidationSettings = Field(default_factory=ValidationSettings)
    fhir: FhirSettings = Field(default_factory=FhirSettings)
    registry: RegistrySettings = Field(default_factory=RegistrySettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        toml_file = settings_cls.model_config.get("toml_file") or os.environ.get("ADAPTER_CONFIG")
        if toml_file:
            path = Path(str(toml_file))
            if not path.is_file():
                from adapter.errors import ConfigError
                raise ConfigError(f"configuration file not found: {path}")
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    def resolved_database_url(self) -> str:
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{(self.workdir / 'adapter.db').as_posix()}"

    def facility(self, ma_cskcb: str) -> FacilityAccount | None:
        return next((f for f in self.facilities if f.ma_cskcb == ma_cskcb), None)


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Read the settings once. ``config_file`` wins over ``ADAPTER_CONFIG``.

    Invalid settings raise ``ConfigError`` naming each setting and the problem, never the
    value given (it may be a password).
    """
    from pydantic import ValidationError

    from adapter.errors import ConfigError

    try:
        if config_file is None:
            return Settings(**overrides)

        class _FromFile(Settings):
            model_config = SettingsConfigDict(**{**Settings.model_config, "toml_file": config_file})

        return _FromFile(**overrides)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"invalid settings: {problems}") from None


def read_secret(value: SecretStr | None, path: Path | None) -> str | None:
    """A secret given inline (environment) or in a file; the file wins when both are set."""
    if path is not None:
        return path.read_text(encoding="utf-8").strip()
    return value.get_secret_value() if value is not None else None


def masked(settings: Settings) -> dict[str, Any]:
    """The settings as plain data with every secret replaced by ``**********``."""
    return settings.model_dump(mode="json")  # SecretStr dumps as '**********' in json mode
