"""Regenerate the defective-file corpus used by the CLI test (run from the repository root).

    .venv/bin/python tests/corpus/validation/make_corpus.py

Each file has one known defect (its name says which); ``clean_envelope.xml`` has none.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1] / "unit" / "validation"))

import validation_samples as s  # noqa: E402


def main() -> None:
    files: dict[str, bytes] = {"clean_envelope.xml": s.envelope_xml(s.outpatient())}
    rows = s.outpatient()
    rows[2][0]["THANH_TIEN_BV"] = "15006.00"         # 10 x 1500.5 = 15005.00
    files["money_line_envelope.xml"] = s.envelope_xml(rows)
    rows = s.inpatient()
    rows[1][0]["NGAY_TTOAN"] = "202506300800"       # payment before admission
    files["inpatient_dates_envelope.xml"] = s.envelope_xml(rows)
    xml1 = s.outpatient()[1]
    xml1[0]["MA_BN"] = "9" * 101                     # longer than 100: never cut
    files["xml1_too_long.xml"] = s.table_xml(1, xml1)
    checkin = s.checkin()[0]
    checkin[0].update(MA_DICH_VU="", TEN_DICH_VU="")  # none of service/drug/supply
    files["checkin_no_item.xml"] = s.table_xml(0, checkin)
    files["xxe.xml"] = (b'<?xml version="1.0"?><!DOCTYPE TONG_HOP [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                        b"<TONG_HOP><MA_LK>&x;</MA_LK></TONG_HOP>")
    files["control_char.xml"] = s.table_xml(1, s.outpatient()[1]).replace("Ho, sốt".encode(), b"Ho\x07 sot")
    for name, data in files.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
