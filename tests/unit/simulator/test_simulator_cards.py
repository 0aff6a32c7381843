"""Card lookup verdicts of the simulator (pure)."""

from __future__ import annotations

import pytest

from adapter.simulator.cards import demo_cards, demo_officers, reply, verdict

OFFICER = {"hoTenCb": "Võ Thị Tiếp Đón", "cccdCb": "079085000001"}


def ask(**fields: str) -> str:
    query = {"maThe": "DN4797900123456", "hoTen": "Nguyễn Văn An", "ngaySinh": "05/03/1990", **OFFICER}
    query.update(fields)
    return verdict(query, demo_cards(), demo_officers())


@pytest.mark.parametrize(("fields", "code"), [
    ({}, "000"),
    ({"maThe": "079090001234"}, "000"),                    # by CCCD
    ({"maThe": "7990012345"}, "000"),                      # by 10-digit BHXH code
    ({"hoTen": "NGUYỄN  VĂN AN"}, "000"),                  # case and spacing do not matter
    ({"ngaySinh": "05031990"}, "000"),                     # the sample's digits-only form
    ({"hoTen": "Nguyễn Văn Bình"}, "061"),
    ({"hoTen": "Trần Văn An"}, "060"),
    ({"ngaySinh": "06/03/1990"}, "070"),
    ({"maThe": "DN4797900000000"}, "051"),
    ({"maThe": "123"}, "050"),
    ({"cccdCb": "079085999999"}, "054"),
    ({"hoTenCb": "Người Khác"}, "055"),
    ({"hoTen": ""}, "205"),
    ({"maThe": "HT2797900765432", "hoTen": "Trần Thị Bình", "ngaySinh": "12/11/1955"}, "010"),
    ({"maThe": "CN3797900333333", "hoTen": "Phạm Văn Dũng", "ngaySinh": "01/01/1980"}, "110"),
])
def test_verdicts(fields: dict[str, str], code: str) -> None:
    assert ask(**fields) == code


def test_reply_has_card_fields_only_when_found() -> None:
    record = demo_cards()["GD4797900111111"]
    found = reply("004", record)
    assert found["maTheMoi"] == "GD4797900222222" and found["gtTheDen"] == "31/12/2026"
    assert set(reply("051", record)) == {"maKetQua", "ghiChu"}
