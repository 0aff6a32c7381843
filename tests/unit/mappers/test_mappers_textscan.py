"""The report of what text normalising changed (for validation to raise issues)."""

from __future__ import annotations

import dataclasses
import unicodedata

from mapper_samples import FACILITY, outpatient

from adapter.mappers.textscan import TextChange, text_changes


def test_clean_encounter_reports_nothing() -> None:
    enc = dataclasses.replace(outpatient(), ghi_chu="Tái khám")
    assert text_changes(enc, "3176", (0, 1, 2, 3), FACILITY) == ()


def test_control_characters_and_nfd_are_located_without_values() -> None:
    enc = outpatient()                                    # its GHI_CHU is NFD on purpose
    drug = dataclasses.replace(enc.drugs[1], ten_thuoc="Amoxi\x07cilin\x00")
    patient = dataclasses.replace(enc.patient, ho_ten=unicodedata.normalize("NFD", "Trần Thị B") + "\x1b")
    enc = dataclasses.replace(enc, drugs=(enc.drugs[0], drug), patient=patient)
    found = text_changes(enc, "3176", (0, 1, 2, 3), FACILITY)
    assert TextChange(table="XML2", row=2, field="TEN_THUOC", removed=2, recomposed=False) in found
    assert TextChange(table="XML1", row=None, field="GHI_CHU", removed=0, recomposed=True) in found
    assert TextChange(table="XML1", row=None, field="HO_TEN", removed=1, recomposed=True) in found
    assert TextChange(table="XML0", row=1, field="HO_TEN", removed=1, recomposed=True) in found
    assert len(found) == 4
    assert all("Trần" not in repr(change) and "Amoxi" not in repr(change) for change in found)
