"""Which tables an encounter produces (spec §3.1) and which profile it is written in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from adapter.catalogue import Profile
from adapter.mappers.sources import summary_derivable
from adapter.model import Encounter

# Visit types whose discharge needs a medical-record summary per the validation sheet.
XML8_SHEET_TYPES = frozenset({"03", "04", "06"})


@dataclass(frozen=True, kw_only=True, slots=True)
class TablePolicy:
    """Choices the regulation leaves open (settings ``[validation]``)."""

    xml8: Literal["sheet", "always"] = "sheet"   # always: the health book wants XML8 for every visit
    hiv: Literal["send", "withhold"] = "send"    # withhold: XML6 stays out of the envelope


def _xml8(encounter: Encounter, policy: TablePolicy) -> bool:
    if policy.xml8 == "always":
        return True
    return encounter.ma_loai_kcb in XML8_SHEET_TYPES and summary_derivable(encounter)


def tables_for(encounter: Encounter, policy: TablePolicy) -> tuple[int, ...]:
    """The claim tables of an encounter, in envelope order (XML1 always, never XML12)."""
    present = {
        1: True,
        2: bool(encounter.drugs),
        3: bool(encounter.services),
        4: bool(encounter.lab_results),
        5: bool(encounter.clinical_notes),
        6: bool(encounter.hiv_care) and policy.hiv == "send",
        7: encounter.discharge is not None,
        8: _xml8(encounter, policy),
        9: bool(encounter.births),
        10: encounter.pregnancy_rest is not None,
        11: encounter.sick_leave is not None,
        13: encounter.referral is not None,
        14: encounter.appointment is not None,
        15: bool(encounter.tb_treatments),
    }
    return tuple(n for n, wanted in present.items() if wanted)


def profile_for(encounter: Encounter, switch_date: date) -> Profile:
    """``4750`` for episodes that ended before the switch date, ``3176`` from it on."""
    return "4750" if encounter.ngay_ra.date() < switch_date else "3176"


def needs_checkin(encounter: Encounter) -> bool:
    """Whether a check-in (XML0) is due: not for emergencies (MA_DOITUONG_KCB "2", QĐ 4750 Art. 2)."""
    return encounter.ma_doituong_kcb.strip() != "2"
