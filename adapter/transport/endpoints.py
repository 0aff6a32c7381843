"""The documented gateway paths and form fields, per document kind and profile (PURE).

Sources (bhyt-xml-spec.md §6): token, check-in and claim paths are SEEN in CV 1245/3190 and
production clients. The staff catalogue path and its ``loaiHs``/``fileHsBase64`` spelling come
from a secondary source (identifiers-and-registry.md §1.5): UNVERIFIED.
"""

from __future__ import annotations

from dataclasses import dataclass

from adapter.errors import ConfigError
from adapter.ports import DocumentKind

TOKEN_PATH = "/api/token/take"  # noqa: S105 (a path, not a secret)
CARD_LOOKUP_PATH = "/api/egw/KQNhanLichSuKCB2024"
STAFF_PATH = "/api/DanhMucGW/GuiDanhMuc02_NLKCB"          # UNVERIFIED (secondary source)

CHECKIN_PATHS = {
    "130": "/api/qd130/checkInKcbQd130",
    "4750": "/api/qd130/checkInKcbQd4750",
    "3176": "/api/qd130/checkInKcbQd3176",
}
CLAIM_PATHS = {
    "130": "/api/qd130/guiHoSoXmlQD130",
    "4750": "/api/qd130/guiHoSoXmlQD4750",
    "3176": "/api/qd130/guiHoSoXmlQD3176",
}


@dataclass(frozen=True, kw_only=True, slots=True)
class Endpoint:
    """Where a document goes and how its form names the type and the file."""

    path: str
    type_field: str          # "loaiHoSo" (check-in, claim) or "loaiHs" (catalogues)
    type_value: str
    file_field: str          # "fileHSBase64", or "fileHsBase64" for catalogues (UNVERIFIED spelling)


def endpoint_for(kind: DocumentKind, profile: str) -> Endpoint:
    """The endpoint of a document kind; check-in and claim depend on the profile."""
    if kind in (DocumentKind.CHECKIN, DocumentKind.CHECKIN_INPATIENT):
        return Endpoint(path=_profiled(CHECKIN_PATHS, profile), type_field="loaiHoSo",
                        type_value="0", file_field="fileHSBase64")
    if kind is DocumentKind.CLAIM:
        return Endpoint(path=_profiled(CLAIM_PATHS, profile), type_field="loaiHoSo",
                        type_value="130", file_field="fileHSBase64")
    if kind is DocumentKind.STAFF:
        return Endpoint(path=STAFF_PATH, type_field="loaiHs", type_value="71", file_field="fileHsBase64")
    raise ConfigError(f"document kind {kind.value} is not sent to the BHXH gateway")


def ma_tinh(ma_cskcb: str) -> str:
    """Province code sent as ``maTinh``: the first two characters of the facility code."""
    if len(ma_cskcb) != 5 or not ma_cskcb[:2].isdigit():
        raise ConfigError(f"facility code {ma_cskcb!r} is not a 5-character BHXH code")
    return ma_cskcb[:2]


def _profiled(paths: dict[str, str], profile: str) -> str:
    try:
        return paths[profile]
    except KeyError:
        raise ConfigError(f"unknown output profile {profile!r}; expected one of {sorted(paths)}") from None
