"""The text normaliser (adapter.text) and the XML writing of text (CDATA and escaping)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from adapter.mappers.format import cdata, escape
from adapter.text import clean, length, normalize

NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")


def test_nfd_input_is_recomposed_and_reported() -> None:
    result = normalize(NFD_NAME)
    assert result.text == "Nguyễn Thị Hồng Nhung"
    assert result.recomposed and result.changed and result.removed == 0
    assert len(result.text) < len(NFD_NAME)


def test_control_characters_are_removed_and_counted_but_tab_lf_cr_stay() -> None:
    result = normalize("a\x00b\x07c\x1bd\te\nf\rg\x0bh\x0ci")
    assert result.text == "abcd\te\nf\rghi"
    assert result.removed == 5
    assert not result.recomposed


def test_del_and_c1_controls_are_removed_but_latin1_letters_stay() -> None:
    result = normalize("a\x7fb\x85c\x9fd\xa0e\xe9")
    assert result.text == "abcd\xa0e\xe9"
    assert result.removed == 3


def test_characters_xml_cannot_carry_are_removed() -> None:
    result = normalize("x\ufffey\uffffz\ud800")
    assert result.text == "xyz"
    assert result.removed == 3


def test_clean_text_is_unchanged_and_not_reported() -> None:
    result = normalize("Viêm họng cấp <J02.9> & \"sốt\" 'cao'")
    assert result.text == "Viêm họng cấp <J02.9> & \"sốt\" 'cao'"
    assert not result.changed


def test_nothing_is_ever_cut() -> None:
    long = "Chẩn đoán " * 2000
    assert clean(long) == long
    assert length(unicodedata.normalize("NFD", "ễ")) == 1


@pytest.mark.parametrize("text", ["a < b", "R&D", "x > y", "\"quoted\" 'single'", "a]]>b", "]]>",
                                  "a]]]>b", "line1\r\nline2", "\r", "<![CDATA[x]]>"])
def test_escaped_text_parses_back_exactly(text: str) -> None:
    root = etree.fromstring(f"<X>{escape(text)}</X>".encode())
    assert root.text == text


@pytest.mark.parametrize("text", ["a < b", "R&D", "a]]>b", "]]>", "]]>]]>", "a]]]>b", "x]]", "line1\r\nline2",
                                  "Nguyễn Văn A", "\"q\" 'q'", "<![CDATA[inner]]>"])
def test_cdata_parses_back_exactly(text: str) -> None:
    xml = f"<X>{cdata(text)}</X>"
    root = etree.fromstring(xml.encode())
    assert root.text == text
    assert xml.count("<![CDATA[") >= 1


def test_cdata_splits_the_terminator_across_sections() -> None:
    assert cdata("a]]>b") == "<![CDATA[a]]]]><![CDATA[>b]]>"


@given(st.text())
def test_any_cleaned_text_survives_both_writings(text: str) -> None:
    value = clean(text)
    assert unicodedata.is_normalized("NFC", value)
    for written in (escape(value), cdata(value)):
        assert (etree.fromstring(f"<X>{written}</X>".encode()).text or "") == value
