import unicodedata

import pytest

from kg.text import collation_key, fold, normalize

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


# Names and labels in the order of a Vietnamese dictionary, each pair in order.
ORDERED = [
    ("Dương Văn Minh", "Đặng Thị Hà"),  # đ is a letter after d
    ("Cấp ủy", "Cơ quan"),  # â before ơ, whatever their code points
    ("Uông Bí", "Ủy ban nhân dân"),  # tones wait until the letters are the same
    ("Ủy ban nhân dân", "Ưng Hòa"),  # ư after u
    ("Ban Tuyên giáo", "Bana"),  # a space before any letter
    ("ma", "mà"),
    ("mà", "mả"),
    ("mả", "mã"),
    ("mã", "má"),
    ("má", "mạ"),
    ("Hòa Bình", "Hoàn Kiếm"),
]


@pytest.mark.parametrize(("first", "second"), ORDERED)
def test_vietnamese_alphabetical_order(first, second):
    assert collation_key(first) < collation_key(second)
    assert sorted([second, first], key=collation_key) == [first, second]


def levels(text):
    """The letters and tones of the collation key, without the text that breaks ties."""
    return collation_key(text).split("\x00")[:2]


def test_collation_ignores_case_and_unicode_form_but_keeps_them_apart():
    assert levels("ĐẢNG BỘ") == levels("đảng bộ")
    assert levels(unicodedata.normalize("NFD", "Đảng bộ")) == levels("Đảng bộ")
    assert collation_key("ĐẢNG BỘ") != collation_key("đảng bộ")  # a total order: the text breaks ties
    # A control character in the text cannot pass for the separator of the levels.
    assert collation_key("a b") < collation_key("a\x00b") < collation_key("ac")


def test_other_accented_latin_letters_go_with_their_base_letter():
    assert sorted(["Zürich", "Ân Thi", "François", "Francis"], key=collation_key) == [
        "Ân Thi",
        "Francis",
        "François",
        "Zürich",
    ]
