"""Validation of a bundle: FHIR R4B structure (fhir.resources, imported lazily), then what that
library does not check: code values of required bindings and of the systems we emit, and the
document rules (bdl-7/9/10/11, cmp-1/2, every urn:uuid reference resolves inside the bundle).

Errors are ``DataError`` naming the JSON path of the first problem and a rule code, never the
offending value (it may be patient data).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from adapter.errors import DataError
from adapter.mappers.fhir import codes
from adapter.mappers.fhir.policy import FhirPolicy

_IDENTIFIER = re.compile(r"(^|\.)identifier(\[\d+\])?$")
_Node = tuple[str, str, str, Any]   # (json path, resource type, path inside the resource, value)


def validate_bundle(data: Mapping[str, Any], *, policy: FhirPolicy | None = None) -> None:
    """Raise ``DataError`` at the first problem; return None when the bundle is valid."""
    record = str(data.get("id", ""))
    _check_structure(data, record)
    _check_codes(data, policy or FhirPolicy(), record)
    _check_document(data, record)


def _check_structure(data: Mapping[str, Any], record: str) -> None:
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    try:
        Bundle.model_validate(dict(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"]).lstrip(".")
        raise DataError(f"not a valid FHIR R4B Bundle: {first['type']}", record=record, field=path,
                        rule="FHIR-STRUCTURE") from exc
    except KeyError as exc:   # fhir.resources raises KeyError for an unknown resourceType
        raise DataError("unknown FHIR resource type", record=record, field=_unknown_type_path(data),
                        rule="FHIR-RESOURCE-TYPE") from exc


def _unknown_type_path(data: Mapping[str, Any]) -> str:
    from fhir.resources.R4B import get_fhir_model_class

    for i, entry in enumerate(data.get("entry", [])):
        try:
            get_fhir_model_class(str(entry.get("resource", {}).get("resourceType")))
        except (KeyError, ValueError):
            return f"entry[{i}].resource.resourceType"
    return "resourceType"


def _check_codes(data: Mapping[str, Any], policy: FhirPolicy, record: str) -> None:
    local = {policy.code_system(name): values for name, values in codes.LOCAL_VALUES.items()}
    for path, rtype, inner, value in _walk(data, "", "", ""):
        allowed = codes.REQUIRED_BINDINGS.get((rtype, inner))
        if allowed is not None and value not in allowed:
            raise DataError("code not in the required value set", record=record, field=path,
                            rule="FHIR-CODE-BINDING")
        if isinstance(value, Mapping) and "system" in value and "code" in value:
            _check_coding(value, local, record, path)
        if _IDENTIFIER.search(path):
            _check_identifier(value, record, path)


def _check_coding(coding: Mapping[str, Any], local: Mapping[str, frozenset[str]], record: str,
                  path: str) -> None:
    system, code = coding["system"], coding["code"]
    allowed = codes.SYSTEM_VALUES.get(system) or local.get(system)
    pattern = codes.SYSTEM_PATTERNS.get(system)
    if (allowed is not None and code not in allowed) or (pattern is not None and not pattern.match(code)):
        raise DataError("code not valid in its code system", record=record, field=f"{path}.code",
                        rule="FHIR-CODE-SYSTEM")


def _check_identifier(value: Any, record: str, path: str) -> None:
    """Every identifier we emit names its system: a bare value cannot be matched by a receiver."""
    if isinstance(value, Mapping) and not (value.get("system") and value.get("value")):
        raise DataError("identifier without system or value", record=record, field=path,
                        rule="FHIR-IDENTIFIER")


def _walk(value: Any, path: str, rtype: str, inner: str) -> Iterator[_Node]:
    """Every node with its JSON path, the enclosing resource type and its path in that resource."""
    if isinstance(value, Mapping):
        if "resourceType" in value:
            rtype, inner = str(value["resourceType"]), ""
        yield path, rtype, inner, value
        for key, child in value.items():
            yield from _walk(child, f"{path}.{key}" if path else key, rtype,
                             f"{inner}.{key}" if inner else key)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _walk(child, f"{path}[{i}]", rtype, inner)
    else:
        yield path, rtype, inner, value


def _check_document(data: Mapping[str, Any], record: str) -> None:
    entries = list(data.get("entry", []))
    full_urls = [e.get("fullUrl") for e in entries]
    if len(set(full_urls)) != len(full_urls):
        raise DataError("duplicate fullUrl", record=record, field="entry.fullUrl", rule="FHIR-BDL-7")
    if data.get("type") == "document":
        _check_document_header(data, entries, record)
    if data.get("type") in ("transaction", "batch"):
        for i, entry in enumerate(entries):
            if not (entry.get("request") or {}).get("url"):
                raise DataError("a transaction entry needs a request", record=record,
                                field=f"entry[{i}].request", rule="FHIR-BDL-3")
    known = {u for u in full_urls if u}
    for path, _, _, value in _walk(data, "", "", ""):
        if path.endswith(".reference") and str(value).startswith("urn:uuid:") and value not in known:
            raise DataError("reference does not resolve inside the bundle", record=record, field=path,
                            rule="FHIR-REFERENCE")


def _check_document_header(data: Mapping[str, Any], entries: list[Any], record: str) -> None:
    ident = data.get("identifier") or {}
    if not (ident.get("system") and ident.get("value")):
        raise DataError("a document needs an identifier", record=record, field="identifier",
                        rule="FHIR-BDL-9")
    if not data.get("timestamp"):
        raise DataError("a document needs a timestamp", record=record, field="timestamp", rule="FHIR-BDL-10")
    if not entries or entries[0].get("resource", {}).get("resourceType") != "Composition":
        raise DataError("a document starts with a Composition", record=record, field="entry[0]",
                        rule="FHIR-BDL-11")
    for i, section in enumerate(entries[0]["resource"].get("section", [])):
        where = f"entry[0].resource.section[{i}]"
        if not (section.get("text") or section.get("entry") or section.get("section")):
            raise DataError("a section needs text, entries or sections", record=record, field=where,
                            rule="FHIR-CMP-1")
        if section.get("emptyReason") and section.get("entry"):
            raise DataError("emptyReason on a section with entries", record=record, field=where,
                            rule="FHIR-CMP-2")
