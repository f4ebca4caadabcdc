import json
from datetime import date, datetime

import pytest

from kg.articles import VIETNAM_TIME, find_published, parse_page, read_articles
from kg.errors import ArticleError


def at(y, m, d, hh, mm):
    return datetime(y, m, d, hh, mm, tzinfo=VIETNAM_TIME)


# (a header line of a page, the publication date it states or None)
DATE_LINES = [
    ("Ngày đăng 15/09/2020 | 11:04  | Lượt xem: 224", at(2020, 9, 15, 11, 4)),
    ("(14:38 24/11/2020)", at(2020, 11, 24, 14, 38)),
    ("15/01/2021 11:53", at(2021, 1, 15, 11, 53)),
    ("ngày 15 tháng 9 năm 2020", date(2020, 9, 15)),
    ("Thứ Tư, 03/07/2019 - 08:30", at(2019, 7, 3, 8, 30)),
    ("Cập nhật: 07:45 ngày 2/3/2023", at(2023, 3, 2, 7, 45)),
    ("Đăng ngày: 28-12-2018", date(2018, 12, 28)),
    ("2022-05-09 16:20", at(2022, 5, 9, 16, 20)),
    ("Thứ sáu, 5/8/2022, 10:02 (GMT+7)", at(2022, 8, 5, 10, 2)),
    ("01.06.2017", date(2017, 6, 1)),
    # dates inside sentences, impossible dates and dates without a year are not stamps
    ("Ngày 16/7/2020, tại Hội trường Đảng ủy phường tổ chức học tập, quán triệt Nghị quyết", None),
    ("Thực hiện Kế hoạch số 09-KH/QU, ngày 26/11/2020 của Huyện ủy Gia Lâm về tổ chức học tập", None),
    ("Sáng 29/2, Tỉnh ủy Nghệ An tổ chức hội nghị", None),
    ("Ngày đăng 31/02/2020", None),
]


@pytest.mark.parametrize(("line", "expected"), DATE_LINES)
def test_find_published(line, expected):
    assert find_published(line) == expected


PAGES = [
    # (raw page, title, published date or None, byline)
    (
        "TIN TỨC - SỰ KIỆN TIN TỨC - SỰ KIỆN\n\n"
        "Huyện ủy Sóc Sơn sơ kết 6 tháng đầu năm 2019\nNgày đăng 12/07/2019 | 15:20 | Lượt xem: 87\n\n"
        "Chiều 11/7, Huyện ủy Sóc Sơn tổ chức hội nghị sơ kết công tác 6 tháng đầu năm.\n\nPHÒNG VĂN HÓA",
        "Huyện ủy Sóc Sơn sơ kết 6 tháng đầu năm 2019",
        date(2019, 7, 12),
        "PHÒNG VĂN HÓA",
    ),
    (
        "xây dựng đảng\n\nTỉnh ủy Quảng Ninh quán triệt Chỉ thị số 35-CT/TW (09:10 05/09/2019)\n\n"
        "Sáng 5/9, Tỉnh ủy Quảng Ninh tổ chức hội nghị.\n\nTin, ảnh: Thu Trang\n\nCác tin khác\nBình luận\nHọ tên:",
        "Tỉnh ủy Quảng Ninh quán triệt Chỉ thị số 35-CT/TW",
        date(2019, 9, 5),
        "Thu Trang",
    ),
    (
        "Q\n20/10/2022 16:05\n\nĐảng bộ thành phố Thủ Đức tổng kết công tác năm\n\n"
        "(TTXVN) Chiều nay, Đảng bộ thành phố tổ chức hội nghị tổng kết.\n\nMinh Khôi\n\nNguồn :",
        "Đảng bộ thành phố Thủ Đức tổng kết công tác năm",
        date(2022, 10, 20),
        "Minh Khôi",
    ),
    (
        "Trang chủ > Tin tức > Xây dựng Đảng\n\nĐảng ủy xã Yên Sở tổng kết năm 2019\n\nSáng 2/1, Đảng ủy xã "
        "Yên Sở tổ chức hội nghị tổng kết.\n\nThu Hà",
        "Đảng ủy xã Yên Sở tổng kết năm 2019",
        None,
        "Thu Hà",
    ),
    (
        "Huyện Mèo Vạc: Học tập chuyên đề năm 2023\n\nSáng 14/3, Huyện ủy Mèo Vạc tổ chức hội nghị "
        "học tập chuyên đề năm 2023.\nHội nghị kết thúc cùng ngày.",
        "Huyện Mèo Vạc: Học tập chuyên đề năm 2023",
        None,
        None,
    ),
]


# Round 2 of the reader: (raw page, title, published, text the body must keep).
PAGES_ROUND_2 = [
    pytest.param(
        " date 2024-03-05 Sáng 4/3, Ủy viên Bộ Chính trị Lâm Văn Sơn dự hội nghị tại tỉnh Tuyên Quang.\n\n"
        "Ảnh: các đại biểu dự hội nghị (4/3/2024). (Ảnh: Minh Đức)\n\nHội nghị diễn ra trong một ngày.",
        "Sáng 4/3, Ủy viên Bộ Chính trị Lâm Văn Sơn dự hội nghị tại tỉnh Tuyên Quang.",
        date(2024, 3, 5),
        "Hội nghị diễn ra trong một ngày.",
        id="A1 a stamp glued to the lead sentence",
    ),
    pytest.param(
        "THỜI SỰ. * CHÀO MỪNG ĐẠI HỘI * ĐẠI HỘI XXI ĐẢNG BỘ TỈNH TUYÊN QUANG\n\n"
        "180 đại biểu dự Đại hội Đảng bộ huyện Sơn Dương lần thứ XXIV\n\n14-08-2020 10:05\n\n"
        "Sáng 13/8, Đại hội khai mạc.",
        "180 đại biểu dự Đại hội Đảng bộ huyện Sơn Dương lần thứ XXIV",
        date(2020, 8, 14),
        "Sáng 13/8, Đại hội khai mạc.",
        id="A2 a title starting with a number under a banner",
    ),
    pytest.param(
        "Hội Nông dân xã Kim Bình kỷ niệm ngày thành lập (14/10/1930 - 14/10/2020)\n"
        "Ngày đăng 15/10/2020 | 09:00\n\nSáng 14/10, Hội Nông dân xã tổ chức lễ kỷ niệm.",
        "Hội Nông dân xã Kim Bình kỷ niệm ngày thành lập (14/10/1930 - 14/10/2020)",
        date(2020, 10, 15),
        "Sáng 14/10",
        id="A3 a bracketed span in the title is no publication date",
    ),
    pytest.param(
        "Lễ trao Huy hiệu Đảng\nNgày đăng 03/06/2021 | 10:00\n\nNgày 2/6, đồng chí Ma Văn Quý, Phó Bí\n"
        "thư Thường trực Huyện ủy dự lễ.\n\n2. Các chi bộ tiếp tục chuẩn bị đại hội với các việc chính sau:",
        "Lễ trao Huy hiệu Đảng",
        date(2021, 6, 3),
        "Phó Bí thư Thường trực Huyện ủy dự lễ.\n2. Các chi bộ tiếp tục chuẩn bị đại hội với các việc chính sau:",
        id="A4 A5 wrapped lines joined, a long last line ending in a colon kept",
    ),
]


def test_a_month_stamp_dates_the_page_without_a_publication_date():
    page = parse_page(" date 2022-11 Sáng 3/11, Huyện ủy Na Rì tổ chức hội nghị sơ kết công tác.")
    assert page.published is None
    assert page.month == date(2022, 11, 1)
    assert page.title.startswith("Sáng 3/11")


@pytest.mark.parametrize(("raw", "title", "published", "kept"), PAGES_ROUND_2)
def test_parse_page_round_2(raw, title, published, kept):
    page = parse_page(raw)
    stamp = page.published.date() if isinstance(page.published, datetime) else page.published
    assert (page.title, stamp) == (title, published)
    assert kept in page.body


@pytest.mark.parametrize(("raw", "title", "published", "byline"), PAGES)
def test_parse_page(raw, title, published, byline):
    page = parse_page(raw)
    assert page.title == title
    stamp = page.published.date() if isinstance(page.published, datetime) else page.published
    assert stamp == published
    assert page.byline == byline
    assert title not in page.body


def test_title_in_capitals_is_used_when_nothing_else_is():
    page = parse_page(
        "THÀNH ỦY CẦN THƠ TỔNG KẾT CÔNG TÁC NĂM 2020\n\nSáng 10/1, Thành ủy Cần Thơ tổ chức hội nghị."
    )
    assert page.title == "THÀNH ỦY CẦN THƠ TỔNG KẾT CÔNG TÁC NĂM 2020"


def test_text_is_normalized():
    page = parse_page("Quận uỷ Tây Hồ tổ chức hội nghị hoà giải\n\nSáng 3/4, Quận uỷ Tây Hồ họp.")
    assert page.title == "Quận ủy Tây Hồ tổ chức hội nghị hòa giải"
    assert "Quận ủy Tây Hồ họp" in page.body


def test_corpus_is_read_with_dates(corpus):
    articles = list(read_articles([corpus]))
    assert all(not isinstance(a, ArticleError) for a in articles)
    stamps = {a.identifier: a.published for a in articles}
    assert stamps["001_ae611399a1b4a2b8.txt"] is None
    assert stamps["004_fc3464199c38d9ff.txt"] == at(2020, 11, 24, 14, 38)


# ---------------------------------------------------------------- broken input


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("latin1.txt", "Quận ủy Đống Đa".encode("cp1258", errors="replace") + b"\xff\xfe", "not valid UTF-8"),
        ("empty.txt", b"  \n\n ", "empty article"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("broken.json", b'{"id": "a", "text": ', "invalid JSON"),
        ("notext.json", b'{"id": "a", "title": "T"}', "no 'text'"),
        ("table.csv", b"a,b\n1,2\n", "unsupported file type"),
    ],
)
def test_broken_sources_are_reported_with_path_and_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    (item,) = read_articles([path])
    assert isinstance(item, ArticleError)
    assert str(path) in str(item)
    assert reason in item.reason


def test_missing_file_is_reported(tmp_path):
    (item,) = read_articles([tmp_path / "nope.txt"])
    assert isinstance(item, ArticleError)
    assert "No such file" in item.reason


def test_jsonl_reads_good_records_around_a_broken_one(tmp_path):
    records = [
        {
            "id": "hp-1",
            "url": "https://example.org/a",
            "title": "Thành ủy Hải Phòng họp",
            "published": "2021-03-02",
            "text": "Sáng 2/3, Thành ủy Hải Phòng tổ chức hội nghị.",
        },
        "not an object",
        {
            "id": "hp-2",
            "title": "Huyện ủy Thủy Nguyên",
            "published": "2021-03-04T09:30:00+07:00",
            "text": "Nội dung.",
        },
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + ["{oops"]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(read_articles([path]))
    good = [i for i in items if not isinstance(i, ArticleError)]
    bad = [i for i in items if isinstance(i, ArticleError)]
    assert [a.identifier for a in good] == ["hp-1", "hp-2"]
    assert good[0].published == date(2021, 3, 2)
    assert good[0].url == "https://example.org/a"
    assert good[1].published == at(2021, 3, 4, 9, 30)
    assert {e.source for e in bad} == {f"{path}:2", f"{path}:4"}


def test_json_list_of_records(tmp_path):
    path = tmp_path / "two.json"
    path.write_text(
        json.dumps(
            [
                {"id": "x1", "text": "Tỉnh ủy Bắc Ninh họp bàn công tác\n\nNội dung."},
                {"id": "x2", "title": "Tiêu đề", "published": "15/09/2020 11:04", "text": "Y."},
            ]
        ),
        encoding="utf-8",
    )
    first, second = read_articles([path])
    assert first.title == "Tỉnh ủy Bắc Ninh họp bàn công tác"
    assert second.published == at(2020, 9, 15, 11, 4)
