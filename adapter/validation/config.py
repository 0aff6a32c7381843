"""Validation and table-policy settings (section ``[validation]``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel


class ValidationSettings(BaseModel):
    """Policies where the regulation leaves a choice (spec §3.1, §5)."""

    xml8_policy: Literal["sheet", "always"] = "sheet"      # sheet: only MA_LOAI_KCB 03/04/06
    hiv_policy: Literal["send", "withhold"] = "send"       # XML6 in the claim envelope
    profile_override: Literal["4750", "3176"] | None = None
    # Facility code-list files (same format as adapter/data/codelists); a file here
    # replaces the packaged list of the same name. See config/codelists/README.md.
    codelists_dir: Path | None = None
