"""The build context and the small value helpers every resource module shares.

Ids are deterministic: ``uuid5`` of a name made of the facility code, MA_LK, the resource kind
and an index, so the same encounter always gives the same bundle (and a transaction PUT of it
is idempotent). Patients, practitioners and organisations are named by their own codes rather
than by MA_LK, so the same person keeps one id across encounters.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from html import escape
from typing import Any

from adapter.mappers.fhir.policy import FhirPolicy
from adapter.model import Encounter, Facility, Practitioner

# Fixed namespace of this adapter's FHIR ids (uuid5 of our project URL); never change it,
# or every id of every bundle already sent changes.
ID_NAMESPACE = uuid.UUID("5b0c4f8e-9a57-5d4e-8a8f-2f7a3c1d0b61")

IdFactory = Callable[[str], str]
Json = dict[str, Any]


def uuid5_ids(name: str) -> str:
    """The default id factory: a name-based (SHA-1) UUID, stable across runs and machines."""
    return str(uuid.uuid5(ID_NAMESPACE, name))


@dataclass(frozen=True, kw_only=True, slots=True)
class Ctx:
    """Everything a resource builder may read. Pure data, no clock, no I/O."""

    encounter: Encounter
    facility: Facility
    policy: FhirPolicy
    ids: IdFactory = uuid5_ids
    staff: dict[str, Practitioner] = field(default_factory=dict)
    # Set when HIV data is hidden and the encounter has some: free text might name it.
    withhold_text: bool = False
    # Ids of this build, memoised: every reference to a resource would otherwise rehash its name.
    _ids: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def ma_lk(self) -> str:
        return self.encounter.ma_lk

    def new_id(self, kind: str, index: int | str = 0) -> str:
        return self._id(f"{self.facility.ma_cskcb}/{self.ma_lk}/{kind}/{index}")

    def shared_id(self, kind: str, key: str) -> str:
        return self._id(f"{self.facility.ma_cskcb}/{kind}/{key}")

    def _id(self, name: str) -> str:
        known = self._ids.get(name)
        if known is None:
            known = self._ids[name] = self.ids(name)
        return known

    def dt(self, value: datetime | None) -> str | None:
        """A naive local time as a FHIR dateTime with the facility's UTC offset."""
        if value is None:
            return None
        return value.strftime("%Y-%m-%dT%H:%M:%S") + self.policy.utc_offset

    def text(self, value: str | None) -> str | None:
        """Free clinical text, unless the sensitive-data policy withholds it for this encounter."""
        return None if self.withhold_text else value

    def icd(self, value: str | None) -> list[str]:
        """ICD-10 codes of a ";" list, without the HIV ones unless the policy includes HIV."""
        items = split(value)
        return items if self.policy.include_hiv else [c for c in items if not self.policy.is_hiv_icd(c)]

    def coding(self, name: str, code: str, display: str | None = None) -> Json:
        return prune({"system": self.policy.code_system(name), "code": code, "display": display})


def ref(resource_id: str, display: str | None = None) -> Json:
    return prune({"reference": f"urn:uuid:{resource_id}", "display": display})


def ident_ref(system: str, value: str, display: str | None = None) -> Json:
    """A logical reference (by identifier) to something not carried in the bundle."""
    return prune({"identifier": {"system": system, "value": value}, "display": display})


def fhir_date(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def num(value: Decimal) -> int | float:
    """A JSON number; integral values stay integers. Floats are only used at the JSON edge."""
    return int(value) if value == value.to_integral_value() else float(value)


def split(value: str | None) -> list[str]:
    """A ";" list of the tables as clean items."""
    return [p.strip() for p in (value or "").split(";") if p.strip()]


def codeable(codings: Iterable[Json], text: str | None = None) -> Json:
    return prune({"coding": list(codings), "text": text})


def narrative(paragraphs: Iterable[tuple[str, str | None]]) -> Json | None:
    """An XHTML narrative with one labelled paragraph per non-empty value (values escaped)."""
    body = "".join(f"<p><b>{escape(label)}</b>: {escape(text)}</p>" for label, text in paragraphs if text)
    if not body:
        return None
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'}


def prune(data: Json) -> Json:
    """Drop empty values: FHIR forbids empty strings, arrays and objects."""
    return {k: v for k, v in data.items() if v is not None and v != "" and v != [] and v != {}}
