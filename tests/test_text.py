import unicodedata

import pytest

from kg.text import fold, normalize

CASES = [
    ("Quận uỷ Hoàn Kiếm", "Quận ủy Hoàn Kiếm"),
    ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
    ("xã Hoà Bình, huyện Thuỷ Nguyên", "xã Hòa Bình, huyện Thủy Nguyên"),
    ("sức khoẻ", "sức khỏe"),
    ("Thanh Hoá", "Thanh Hóa"),
    ("Khánh Hoà", "Khánh Hòa"),
    # closed syllables and "qu" onsets are written one way only
    ("Hoàng Mai", "Hoàng Mai"),
    ("quyết định", "quyết định"),
    ("quý", "quý"),
    ("thuở", "thuở"),
    ("ngoài", "ngoài"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_tone_placement(raw, expected):
    assert normalize(raw) == expected


def test_combining_marks_become_precomposed():
    decomposed = unicodedata.normalize("NFD", "Đảng ủy phường Sài Đồng")
    assert normalize(decomposed) == "Đảng ủy phường Sài Đồng"


def test_spaces_and_line_breaks():
    assert normalize("a\u00a0\u00a0b\r\nc\rd\u200b") == "a b\nc\nd"


def test_fold_ignores_case_and_spelling():
    assert fold("QUẬN UỶ  Ba Đình") == fold("quận ủy ba đình")
