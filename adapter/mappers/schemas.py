"""Loading the generated XSDs (``scripts/gen_xsd.py``) as lxml schemas, once each.

The XSDs ship as package data (``adapter/data/schemas/xml_<profile>/``) so an installed
adapter has them; in a checkout the repository's ``schemas/`` folder is the fallback.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from lxml import etree

from adapter.catalogue import PRODUCED_TABLES, Profile, table
from adapter.errors import ConfigError

REPOSITORY_SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
ENVELOPE = "GIAMDINHHS"


def _read(profile: Profile, name: str) -> bytes:
    packaged = resources.files("adapter").joinpath(f"data/schemas/xml_{profile}/{name}.xsd")
    if packaged.is_file():
        return packaged.read_bytes()
    path = REPOSITORY_SCHEMAS / f"xml_{profile}" / f"{name}.xsd"
    if path.is_file():
        return path.read_bytes()
    raise ConfigError(f"schema {name}.xsd for profile {profile} is missing (run scripts/gen_xsd.py)")


@cache
def _schema(profile: Profile, name: str) -> etree.XMLSchema:
    try:
        return etree.XMLSchema(etree.fromstring(_read(profile, name)))
    except (etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
        raise ConfigError(f"schema {name}.xsd for profile {profile} is unreadable") from exc


def load_schema(number: int, profile: Profile) -> etree.XMLSchema:
    """The XSD of table ``number`` (0 = the check-in) in ``profile``, parsed once."""
    if number not in PRODUCED_TABLES:
        raise ConfigError(f"no schema for table XML{number}: it is not produced")
    return _schema(profile, table(number).code)


def load_envelope_schema(profile: Profile = "3176") -> etree.XMLSchema:
    """The XSD of the ``GIAMDINHHS`` claim envelope (identical in both profiles)."""
    return _schema(profile, ENVELOPE)
