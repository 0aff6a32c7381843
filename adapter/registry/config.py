"""Registry settings (section ``[registry]``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel


class RegistrySettings(BaseModel):
    """Where practitioner lists come from and how they are laid out."""

    national_list_layout: str = "qlhn_mau01"       # built-in layout name or a JSON file
    import_layout: str = "staff_master"
    facility_file: Path | None = None              # JSON facility record with departments
    expiry_warning_days: int = 60                  # licences and registrations ending within this window
    close_missing_on_import: bool = False          # a full HIS listing ends the periods of those it lacks
