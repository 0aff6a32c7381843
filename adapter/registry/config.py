"""Registry settings (section ``[registry]``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel


class RegistrySettings(BaseModel):
    """Where practitioner lists come from and how they are laid out."""

    national_list_layout: str = "qlhn_mau01"       # built-in layout name or a JSON file
    import_layout: str = "staff_master"
    facility_file: Path | None = None              # JSON facility record with departments
    expiry_warning_days: int = 60                  # licences and registrations ending within this window
    close_missing_on_import: bool = False          # a full HIS listing ends the periods of those it lacks
    # Claim check before signing (PRACTITIONER_NOT_REGISTERED): "when_registered" runs it once the
    # facility has imported its staff catalogue, "required" also holds every claim while it is empty.
    claim_check: Literal["off", "when_registered", "required"] = "when_registered"
