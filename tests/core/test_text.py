"""Folding text for search: diacritics, "đ", case and spaces do not matter."""

import unicodedata

import pytest

from parindex.core.text import fold


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Sở Tư pháp", "so tu phap"),
        ("tu phap", "tu phap"),
        ("TƯ PHÁP", "tu phap"),
        ("Đống Đa", "dong da"),
        ("đường", "duong"),
        ("Ủy ban nhân dân Quận 5", "uy ban nhan dan quan 5"),
        ("UBND quận Bình Tân", "ubnd quan binh tan"),
        ("Trung tâm Xúc tiến Thương mại và Đầu tư", "trung tam xuc tien thuong mai va dau tu"),
        ("Bà Rịa–Vũng Tàu", "ba ria–vung tau"),  # the dash is kept, only marks go
        ("  Sở   Nội vụ ", "so noi vu"),
        ("Cục Hải quan TP.HCM", "cuc hai quan tp.hcm"),
        ("SYN-00001", "syn-00001"),
        ("", ""),
    ],
)
def test_fold_drops_diacritics_case_and_extra_spaces(text, folded):
    assert fold(text) == folded


def test_precomposed_and_decomposed_spellings_fold_alike():
    name = "Sở Tư pháp Thừa Thiên Huế"
    assert fold(unicodedata.normalize("NFC", name)) == fold(unicodedata.normalize("NFD", name))
