"""The rule catalogue (``RULES``) and the checks that apply it (``CHECKS``), in run order."""

from __future__ import annotations

from adapter.validation.rules.base import Check, Episode
from adapter.validation.rules.catalog import RULES, RuleSpec
from adapter.validation.rules.conditional import check_conditions
from adapter.validation.rules.cross import check_admin, check_ma_lk, check_practitioners, check_presence
from adapter.validation.rules.dates import check_date_order, check_within_episode
from adapter.validation.rules.episode import (
    check_bed_days,
    check_exam_fee,
    check_leave_days,
    check_treatment_days,
)
from adapter.validation.rules.formats import (
    check_card_coverage,
    check_checkin_emergency,
    check_code_lists,
    check_formats,
)
from adapter.validation.rules.money import check_lines, check_totals
from adapter.validation.rules.structure import check_structure

CHECKS: tuple[Check, ...] = (
    check_structure,
    check_conditions,
    check_formats,
    check_code_lists,
    check_card_coverage,
    check_checkin_emergency,
    check_date_order,
    check_within_episode,
    check_lines,
    check_totals,
    check_bed_days,
    check_exam_fee,
    check_treatment_days,
    check_leave_days,
    check_ma_lk,
    check_admin,
    check_presence,
    check_practitioners,
)

__all__ = ["CHECKS", "RULES", "Check", "Episode", "RuleSpec"]
