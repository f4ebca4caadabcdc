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
        "Đảng ủy Phường 12 sơ kết",
        "Sáng 14/7, Đảng ủy Phường 12, Quận Gò Vấp tổ chức Hội nghị sơ kết 6 tháng đầu năm 2023. "
        "Đồng chí Trần Văn Bình, Bí thư Đảng ủy phường chủ trì.",
        date(2023, 7, 15),
        {
            "positions": {("Trần Văn Bình", "secretary", "party-committee", "12")},
            "parents": {("12", "Gò Vấp")},
            "meetings": {("2023-07-14", "party-committee", "12", "review")},
        },
        id="numbered ward whose district follows after a comma",
    ),
    pytest.param(
        "Hải Hậu",
        "Sáng 15/3, Đảng ủy xã Hải Phú (huyện Hải Hậu, tỉnh Nam Định) tổ chức hội nghị quán triệt Nghị quyết. "
        "Bà Nguyễn Thị Bích Ngọc, Chủ tịch HĐND xã báo cáo.",
        date(2022, 3, 16),
        {
            "positions": {("Nguyễn Thị Bích Ngọc", "chair", "peoples-council", "Hải Phú")},
            "parents": {("Hải Phú", "Hải Hậu")},
        },
        id="commune of a province; cue 'Bà'",
    ),
    pytest.param(
        "Quảng Trị",
        "Dự hội nghị có đồng chí Lê Quang Tùng, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Quảng Trị; "
        "đồng chí Hoàng Nam, Phó Bí thư Thường trực Tỉnh ủy; đồng chí Nguyễn Thị Thu Hà, Phó Trưởng ban "
        "Thường trực Ban Tuyên giáo Trung ương.",
        date(2021, 5, 5),
        {
            "positions": {
                ("Lê Quang Tùng", "member", "party-committee", "Việt Nam"),
                ("Lê Quang Tùng", "secretary", "party-committee", "Quảng Trị"),
                ("Hoàng Nam", "standing-deputy-secretary", "party-committee", "Quảng Trị"),
                ("Nguyễn Thị Thu Hà", "standing-deputy-head", "propaganda-department", "Việt Nam"),
            },
        },
        id="a list of people separated by semicolons; a name that is also a commune",
    ),
    pytest.param(
        "Thanh Oai",
        "Tại huyện Thanh Oai, Trưởng Ban Tổ chức Thành ủy Lê Văn Ánh, Chủ nhiệm Ủy ban Kiểm tra Huyện ủy "
        "Đỗ Thị Mai, Chánh Văn phòng Huyện ủy Vũ Đức Long và Giám đốc Trung tâm Chính trị huyện Phan Văn Tú "
        "cùng dự.",
        date(2021, 5, 5),
        {
            "positions": {
                ("Lê Văn Ánh", "head", "organization-department", "Hà Nội"),
                ("Đỗ Thị Mai", "head", "inspection-commission", "Thanh Oai"),
                ("Vũ Đức Long", "chief-of-office", "party-office", "Thanh Oai"),
                ("Phan Văn Tú", "director", "political-center", "Thanh Oai"),
            },
        },
        id="heads of departments, commission, office and center before their names",
    ),
    pytest.param(
        "Đông Anh",
        "Đại hội đại biểu Đảng bộ huyện Đông Anh lần thứ XXVI, nhiệm kỳ 2020-2025 đã bầu Ban Chấp hành. "
        "Thực hiện Nghị quyết số 09-NQ/TU ngày 22/2/2021 của Ban Thường vụ Thành ủy về phát triển văn hóa.",
        date(2021, 3, 1),
        {
            "congresses": {("Đông Anh", 26, (2020, 2025))},
            "documents": {("resolution", "09", "Hà Nội")},
        },
        id="district congress; resolution of a city's standing committee",
    ),
    pytest.param(
        "Ba Vì",
        "Chiều 20/4, Ban Tuyên giáo Huyện ủy Thanh Trì tổ chức hội nghị báo cáo viên. Ngày 5 tháng 6 năm "
        "2022, Huyện ủy Ba Vì tổ chức Lễ kỷ niệm 50 năm thành lập.",
        date(2022, 6, 6),
        {
            "meetings": {
                ("2022-04-20", "propaganda-department", "Thanh Trì", "other"),
                ("2022-06-05", "party-committee", "Ba Vì", "ceremony"),
            },
        },
        id="a department as organizer; a date written in words",
    ),
    pytest.param(
        "Phối hợp",
        "UBND huyện Gia Lâm, HĐND TP Hà Nội, UBND TP. Hồ Chí Minh, Ủy ban MTTQ Việt Nam huyện Thanh Oai, "
        "Hội Liên hiệp Phụ nữ quận Cầu Giấy và Thành ủy Hòa Bình phối hợp.",
        date(2021, 1, 1),
        {
            "organs": {
                ("peoples-committee", "Gia Lâm"),
                ("peoples-council", "Hà Nội"),
                ("peoples-committee", "Hồ Chí Minh"),
                ("fatherland-front", "Thanh Oai"),
                ("mass-organization", "Cầu Giấy"),
                ("party-committee", "Hòa Bình"),
            },
            "levels": {("Hòa Bình", "district"), ("Hồ Chí Minh", "city")},
        },
        id="state organs, the Front, mass organizations; a provincial city's Thành ủy",
    ),
    pytest.param(
        "Lào Cai",
        "Ngày 10/01/2023, Ban Thường vụ Tỉnh ủy Lào Cai tổ chức Hội nghị kiểm điểm tập thể năm 2022. "
        "Đồng chí Đặng Xuân Phong - Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy chủ trì hội nghị.",
        date(2023, 1, 11),
        {
            "positions": {
                ("Đặng Xuân Phong", "member", "party-committee", "Việt Nam"),
                ("Đặng Xuân Phong", "secretary", "party-committee", "Lào Cai"),
            },
            "meetings": {("2023-01-10", "standing-committee", "Lào Cai", "review")},
        },
        id="standing committee holds a review",
    ),
    pytest.param(
        "Sóc Sơn",
        "Sáng 15-9, Huyện ủy Sóc Sơn tổ chức hội nghị quán triệt Quy định số 08-QĐi/TW về trách nhiệm nêu "
        "gương. Thông báo kết luận số 45-TB/TU cũng được phổ biến.",
        date(2021, 10, 4),
        {
            "meetings": {("2021-09-15", "party-committee", "Sóc Sơn", "dissemination")},
            "documents": {("regulation", "08", "Việt Nam"), ("notice", "45", "Hà Nội")},
        },
        id="a date with dashes; a Party regulation's QĐi code; a bare notice symbol",
    ),
    pytest.param(
        "Kết quả",
        "Ngày 12/1/2021, quận có 82 tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ; UBND các phường tổng kết.",
        date(2021, 1, 13),
        {"meetings": set(), "organs": set()},
        id="'tổ chức' as a noun is no meeting; 'UBND các phường' is generic",
    ),
    pytest.param(
        "Ba Đình",
        "Trong hai ngày 12 và 13/4, Quận ủy Ba Đình tổ chức lớp bồi dưỡng cho cấp ủy viên cơ sở. Đồng chí "
        "Lê Văn Tám, Phó Bí thư Quận ủy kiêm Chủ tịch UBND quận phát biểu. Đồng chí Hoàng Văn Bảy, nguyên "
        "Bí thư Quận ủy dự.",
        date(2022, 4, 14),
        {
            "positions": {
                ("Lê Văn Tám", "deputy-secretary", "party-committee", "Ba Đình"),
                ("Lê Văn Tám", "chair", "peoples-committee", "Ba Đình"),
            },
            "meetings": {("2022-04-12", "party-committee", "Ba Đình", "training")},
        },
        id="roles joined by 'kiêm'; a former role is no holding; a two-day meeting",
    ),
    pytest.param(
        "Danh sách",
        "Tham dự hội nghị có các đồng chí: Nguyễn Văn An, Trần Bình và Lê Thị Chi. Báo Nhân Dân, Lê Lợi "
        "đưa tin.",
        date(2022, 1, 1),
        {"people": {"Nguyễn Văn An", "Trần Bình", "Lê Thị Chi"}},
        id="a list of names after one cue; a name not in the list is no person",
    ),
    pytest.param(
        "Quận ủy Cầu Giấy học tập",
        "Quán triệt Nghị quyết Đại hội lần thứ XIII của Đảng và Nghị quyết Đại hội XXVI của Đảng bộ quận.",
        date(2021, 4, 1),
        {"congresses": {("Việt Nam", 13, None), ("Cầu Giấy", 26, None)}},
        id="'của Đảng' after the ordinal is the national party; 'của Đảng bộ quận' the district's",
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
        "people": {p.name for p in extraction.people},
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
