"""Extraction on sentences written for these tests: other provinces, years and phrasings
than the corpus. Each row: a title, a body, the publication date, and the facts expected
(every listed kind must come out exactly)."""

from datetime import date

import pytest

from kg.articles import Article
from kg.nlp.pipeline import extract

CASES = [
    pytest.param(
        "Huyện ủy Gia Lâm sơ kết Chỉ thị 05",
        "Sáng 12/3/2019, Huyện ủy Gia Lâm tổ chức hội nghị sơ kết 5 năm thực hiện Chỉ thị số 05-CT/TW "
        "của Bộ Chính trị.",
        None,
        {
            "organs": {("party-committee", "Gia Lâm"), ("politburo", "Việt Nam")},
            "documents": {("directive", "05", "Việt Nam")},
            "meetings": {("2019-03-12", "party-committee", "Gia Lâm", "review")},
        },
        id="district, directive with symbol and issuer, full date",
    ),
    pytest.param(
        "Tỉnh ủy Nghệ An quán triệt Nghị quyết",
        "Chiều 3/6, Tỉnh ủy Nghệ An tổ chức hội nghị quán triệt. Đồng chí Nguyễn Văn Thông, Phó Bí thư "
        "Thường trực Tỉnh ủy Nghệ An phát biểu chỉ đạo. Tham dự có đồng chí Trần Thị Lan - Tỉnh ủy viên, "
        "Bí thư Huyện ủy Nghi Lộc.",
        date(2021, 6, 4),
        {
            "positions": {
                ("Nguyễn Văn Thông", "standing-deputy-secretary", "party-committee", "Nghệ An"),
                ("Trần Thị Lan", "member", "party-committee", "Nghệ An"),
                ("Trần Thị Lan", "secretary", "party-committee", "Nghi Lộc"),
            },
            "meetings": {("2021-06-03", "party-committee", "Nghệ An", "dissemination")},
        },
        id="province, Tỉnh ủy viên, year from the article date",
    ),
    pytest.param(
        "Quảng Ninh",
        "Chủ tịch UBND tỉnh Quảng Ninh Cao Tường Huy dự hội nghị. Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, "
        "Chủ tịch HĐND tỉnh Thái Bình Ngô Đông Hải phát biểu.",
        date(2022, 3, 1),
        {
            "positions": {
                ("Cao Tường Huy", "chair", "peoples-committee", "Quảng Ninh"),
                ("Ngô Đông Hải", "member", "party-committee", "Việt Nam"),
                ("Ngô Đông Hải", "secretary", "party-committee", "Thái Bình"),
                ("Ngô Đông Hải", "chair", "peoples-council", "Thái Bình"),
            },
        },
        id="titles before names; a chain of roles shares its place",
    ),
    pytest.param(
        "Bắc Ninh",
        "Đại hội đại biểu Đảng bộ tỉnh Bắc Ninh lần thứ XX, nhiệm kỳ 2020 - 2025 thành công tốt đẹp. "
        "Quán triệt Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng.",
        date(2020, 10, 20),
        {
            "congresses": {("Bắc Ninh", 20, (2020, 2025)), ("Việt Nam", 13, None)},
            "resolutions": {("Việt Nam", 13)},
            "meetings": set(),
        },
        id="province congress with term; national congress resolution",
    ),
    pytest.param(
        "Hải Phòng",
        "Thực hiện Kế hoạch số 125-KH/TU ngày 10/3/2021 của Thành ủy Hải Phòng về học tập. "
        "Quyết định số 1234/QĐ-UBND của UBND thành phố Đà Nẵng.",
        date(2021, 4, 1),
        {
            "organs": {("party-committee", "Hải Phòng"), ("peoples-committee", "Đà Nẵng")},
            "documents": {("plan", "125", "Hải Phòng"), ("decision", "1234", "Đà Nẵng")},
        },
        id="party and state document symbols; no organ read inside a symbol",
    ),
    pytest.param(
        "Đảng ủy phường Hoàn Kiếm tổ chức hội nghị",
        "Ngày 20/8/2025, Đảng ủy phường Hoàn Kiếm tổ chức hội nghị học tập Chuyên đề.",
        date(2025, 8, 21),
        {
            "organs": {("party-committee", "Hoàn Kiếm")},
            "levels": {("Hoàn Kiếm", "ward")},
            "meetings": {("2025-08-20", "party-committee", "Hoàn Kiếm", "dissemination")},
        },
        id="a ward created by the 2025 reform",
    ),
    pytest.param(
        "Quận ủy Quận 1 triển khai",
        "Sáng 7/4, Quận ủy Quận 1 tổ chức hội nghị triển khai Nghị quyết. Thành ủy Thủ Dầu Một và "
        "Thị ủy Sơn Tây cũng tham dự.",
        date(2022, 4, 8),
        {
            "organs": {
                ("party-committee", "1"),
                ("party-committee", "Thủ Dầu Một"),
                ("party-committee", "Sơn Tây"),
            },
            "levels": {("1", "district"), ("Thủ Dầu Một", "district"), ("Sơn Tây", "district")},
        },
        id="numbered district, provincial city, town",
    ),
    pytest.param(
        "Phối hợp công tác",
        "Ban Tổ chức Tỉnh ủy Thanh Hóa, Ủy ban Kiểm tra Huyện ủy Mê Linh và Văn phòng Huyện ủy Mê Linh "
        "phối hợp.",
        date(2020, 1, 1),
        {
            "organs": {
                ("organization-department", "Thanh Hóa"),
                ("inspection-commission", "Mê Linh"),
                ("party-office", "Mê Linh"),
            },
            "levels": {("Thanh Hóa", "province"), ("Mê Linh", "district")},
        },
        id="departments of committees; level implied by the committee",
    ),
    pytest.param(
        "Đảng ủy xã Tân Lập trao Huy hiệu Đảng",
        "Chiều 5/10, tại Hội trường UBND xã, Đảng ủy xã Tân Lập (huyện Đan Phượng) tổ chức lễ trao Huy hiệu "
        "50 năm tuổi Đảng. Dự buổi lễ có các đồng chí: Lê Văn Hùng, Phó Chủ tịch HĐND huyện; "
        "Phạm Thị Hoa, Trưởng Ban Dân vận Huyện ủy.",
        date(2023, 10, 6),
        {
            "positions": {
                ("Lê Văn Hùng", "vice-chair", "peoples-council", "Đan Phượng"),
                ("Phạm Thị Hoa", "head", "mass-mobilization-department", "Đan Phượng"),
            },
            "meetings": {("2023-10-05", "party-committee", "Tân Lập", "ceremony")},
            "parents": {("Tân Lập", "Đan Phượng")},
        },
        id="ambiguous commune resolved by its district; a list of people",
    ),
    pytest.param(
        "Tổng kết năm",
        "Ngày 28/12, Huyện ủy Đông Anh tổ chức hội nghị tổng kết công tác năm. Chỉ thị số 35-CT/TW ngày "
        "30/5/2019 của Bộ Chính trị về tổ chức đại hội đảng bộ các cấp; thực hiện 24-NQ/TW.",
        date(2022, 1, 10),
        {
            "documents": {("directive", "35", "Việt Nam"), ("resolution", "24", "Việt Nam")},
            "meetings": {("2021-12-28", "party-committee", "Đông Anh", "review")},
        },
        id="December meeting in a January article; bare symbol",
    ),
    pytest.param(
        "Thành ủy Cần Thơ học tập",
        "Sáng nay (12/9), Thành ủy Cần Thơ tổ chức Hội nghị trực tuyến học tập Hướng dẫn số 36-HD/BTGTW. "
        "Ông Trần Văn Lâu, Phó Bí thư Thành ủy, chủ trì hội nghị.",
        date(2023, 9, 12),
        {
            "positions": {("Trần Văn Lâu", "deputy-secretary", "party-committee", "Cần Thơ")},
            "documents": {("instruction", "36", "Việt Nam")},
            "meetings": {("2023-09-12", "party-committee", "Cần Thơ", "dissemination")},
            "online": {True},
        },
        id="online meeting, department issuer code, cue 'Ông'",
    ),
    pytest.param(
        "Học tập chuyên đề",
        "Sáng 29/2, Huyện ủy Mèo Vạc tổ chức hội nghị học tập Chuyên đề năm 2024. Việc học tập hoàn thành "
        "trong Quý I/2024.",
        None,
        {"meetings": {("2024-02-29", "party-committee", "Mèo Vạc", "dissemination")}},
        id="no article date: the year comes from the text",
    ),
    pytest.param(
        "Generic mentions",
        "Các chi bộ và đảng bộ trực thuộc tổ chức đại hội; mỗi Chi bộ chọn một nhiệm vụ đột phá.",
        None,
        {"organs": set(), "meetings": set()},
        id="generic plural mentions are no organs",
    ),
]


def _facts(extraction):
    return {
        "organs": {(o.organ_type, o.place.name) for o in extraction.organs},
        "levels": {(o.place.name, o.place.level) for o in extraction.organs},
        "parents": {(o.place.name, o.place.parent.name) for o in extraction.organs if o.place.parent},
        "positions": {
            (h.person.name, h.role, h.organ.organ_type, h.organ.place.name) for h in extraction.holdings
        },
        "congresses": {
            (c.organ.place.name, c.ordinal, (c.term.start, c.term.end) if c.term else None)
            for c in extraction.congresses
        },
        "resolutions": {
            (d.adopted_at.organ.place.name, d.adopted_at.ordinal)
            for d in extraction.documents
            if d.adopted_at
        },
        "documents": {
            (d.document_type, d.number, d.issuer.place.name if d.issuer else None)
            for d in extraction.documents
            if d.number
        },
        "meetings": {
            (m.date.isoformat(), m.organizer.organ_type, m.organizer.place.name, m.kind)
            for m in extraction.meetings
        },
        "online": {m.online for m in extraction.meetings},
    }


@pytest.mark.parametrize(("title", "body", "published", "expected"), CASES)
def test_extraction(title, body, published, expected):
    extraction = extract(Article(identifier="t.txt", title=title, body=body, published=published))
    found = _facts(extraction)
    for kind, facts in expected.items():
        if kind in ("levels", "parents"):
            assert facts <= found[kind], kind
        else:
            assert found[kind] == facts, kind


def test_holdings_carry_their_sentence():
    body = "Đồng chí Vũ Văn Nam, Bí thư Huyện ủy Thanh Oai phát biểu. Hội nghị kết thúc."
    extraction = extract(Article(identifier="t.txt", title="Tin", body=body))
    (holding,) = extraction.holdings
    assert holding.evidence == "Đồng chí Vũ Văn Nam, Bí thư Huyện ủy Thanh Oai phát biểu."
