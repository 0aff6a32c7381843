"""What a validation run knows beyond the rows: code lists, policies, the practitioner registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal, Protocol

from adapter.validation.codelists import CodeLists
from adapter.validation.config import ValidationSettings

PractitionerStatus = Literal["valid", "unknown", "expired", "outside_hours"]


class PractitionerRegistry(Protocol):
    """The facility's registered staff (02/DM catalogue): is a code usable on a date?"""

    def status(self, code: str, on: date) -> PractitionerStatus:
        ...


@dataclass(frozen=True, kw_only=True, slots=True)
class ValidationContext:
    """Everything a rule may consult besides the rows. Build once per batch and reuse."""

    codelists: CodeLists
    xml8_policy: Literal["sheet", "always"] = "sheet"
    registry: PractitionerRegistry | None = None
    # The text fixes a 2-dp result but not when to round inside the split: allow one
    # cent of difference on recomputed line amounts (XML1 totals are compared exactly).
    money_tolerance: Decimal = Decimal("0.01")

    @classmethod
    def for_date(cls, on: date, *, xml8_policy: Literal["sheet", "always"] = "sheet",
                 registry: PractitionerRegistry | None = None,
                 codelists_dir: Path | None = None) -> ValidationContext:
        return cls(codelists=CodeLists.load(on, codelists_dir), xml8_policy=xml8_policy, registry=registry)


ContextFactory = Callable[[date], ValidationContext]


def context_factory(settings: ValidationSettings,
                    registry: PractitionerRegistry | None = None) -> ContextFactory:
    """Contexts per episode date under the configured policies (code lists differ by date)."""
    def make(on: date) -> ValidationContext:
        return ValidationContext.for_date(on, xml8_policy=settings.xml8_policy, registry=registry,
                                          codelists_dir=settings.codelists_dir)
    return make
