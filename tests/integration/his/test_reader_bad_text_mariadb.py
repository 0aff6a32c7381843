"""MariaDB keeps some invalid UTF-8 in utf8mb4 columns (a UTF-16 surrogate as ED A0 80).

The read-only engine decodes text leniently, so the cell is held against its own encounter
as HIS_BAD_UTF8 (as on SQLite) and the connection stays usable; a driver that still meets
such a cell strictly gives a ``DataError``, never a ``ConfigError``.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator

import pytest
from his_db import server_database
from sqlalchemy import Engine, create_engine, text

from adapter.errors import DataError
from adapter.his.demo import generate_demo_his
from adapter.his.engine import LENIENT_UTF8, reading, readonly_engine, writable_engine
from adapter.his.profile import SourceProfile
from adapter.his.reader import SqlHisSource
from adapter.ports import Watermark

pytestmark = pytest.mark.mariadb
SURROGATE = b"\xed\xa0\x80"


@pytest.fixture(scope="module")
def damaged() -> Iterator[tuple[str, dict[str, str]]]:
    with server_database("mariadb", "badtext") as url:
        generate_demo_his(url, encounters=12, seed=3)
        w = writable_engine(url)
        with w.begin() as conn:
            ids = [r[0] for r in conn.execute(text(
                "SELECT ma_lk FROM his_encounter WHERE finished = 1 ORDER BY updated_at LIMIT 2"))]
            conn.execute(text("UPDATE his_encounter SET ho_ten = :v WHERE ma_lk = :k"),
                         {"v": SURROGATE, "k": ids[0]})
            conn.execute(text("UPDATE his_drug_line SET ten_thuoc = :v WHERE ma_lk = :k AND stt = 1"),
                         {"v": b"Thu" + SURROGATE, "k": ids[1]})
        w.dispose()
        yield url, {"header": ids[0], "line": ids[1]}


def _read(engine: Engine) -> dict[str, set[tuple[str, str]]]:
    source = SqlHisSource(engine, SourceProfile.load("demo"), ma_cskcb="79001", batch_size=5)
    read = source.finished_since(Watermark(), limit=50)
    return {e.ma_lk: {(x.field, x.rule) for x in e.errors} for e, _ in read}


def test_a_surrogate_cell_holds_only_its_encounter_and_the_connection_lives_on(
    damaged: tuple[str, dict[str, str]],
) -> None:
    url, ids = damaged
    engine = readonly_engine(url)
    try:
        first, second = _read(engine), _read(engine)    # the pooled connection is reused
    finally:
        engine.dispose()
    assert first == second
    assert first[ids["header"]] == {("his_encounter.ho_ten", "HIS_BAD_UTF8")}
    assert ("his_drug_line[1].ten_thuoc", "HIS_BAD_UTF8") in first[ids["line"]]
    assert all(not rules for ma_lk, rules in first.items() if ma_lk not in ids.values())
    assert len(first) >= 3


def test_a_strict_driver_decode_error_is_a_data_error_and_the_connection_is_dropped(
    damaged: tuple[str, dict[str, str]],
) -> None:
    url, ids = damaged
    strict = create_engine(url, pool_size=1)           # plain PyMySQL: strict UTF-8 decoding
    try:
        with pytest.raises(DataError) as caught, reading(strict) as conn:
            conn.execute(text("SELECT ho_ten FROM his_encounter WHERE ma_lk = :k"), {"k": ids["header"]})
        with reading(strict) as conn:                   # a fresh connection, in step with the server
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        strict.dispose()
    assert caught.value.rule == "HIS_BAD_UTF8"
    assert isinstance(caught.value.__cause__, UnicodeDecodeError)


def test_the_lenient_codec_encodes_strictly_and_decodes_bad_bytes_to_surrogates(
    damaged: tuple[str, dict[str, str]],
) -> None:
    readonly_engine(damaged[0]).dispose()               # registers the codec
    assert codecs.decode(b"H\xe1\xbb\x93" + SURROGATE, LENIENT_UTF8) == "Hồ\udced\udca0\udc80"
    assert codecs.encode("Hồ", LENIENT_UTF8) == "Hồ".encode()
    with pytest.raises(UnicodeEncodeError):
        codecs.encode("\udced", LENIENT_UTF8)
