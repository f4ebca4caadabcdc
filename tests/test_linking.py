"""Person resolution across articles: one IRI per person, two for namesakes whose roles conflict."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import DEFAULT_BASE_IRI as BASE
from kg.ingest import ingest_paths
from kg.linking import Seat, conflicts
from kg.store import OxigraphStore

PAGE = "{title}\nNgày đăng {day} | 08:00\n\n{body}\n"


def write(folder: Path, name: str, title: str, day: str, body: str) -> None:
    (folder / name).write_text(PAGE.format(title=title, day=day, body=body), encoding="utf-8")


def person_iris(store: OxigraphStore, name: str) -> set[str]:
    rows = store.query(
        "SELECT DISTINCT ?name ?p WHERE { ?p a cpv:Person ; foaf:name ?name }", {"name": ox.Literal(name)}
    )
    return {row["p"].value for row in rows}


def ingest(folder: Path) -> OxigraphStore:
    store = OxigraphStore()
    report = ingest_paths([folder], store, base_iri=BASE)
    assert report.ok
    return store


CASES = [
    pytest.param(
        [
            (
                "Tổng Bí thư làm việc với Tỉnh ủy Cao Bằng",
                "10/03/2022",
                "Sáng 9/3, Tổng Bí thư Hoàng Đức Minh làm việc với Ban Thường vụ Tỉnh ủy Cao Bằng.",
            ),
            (
                "Bộ Chính trị họp phiên thường kỳ",
                "20/04/2022",
                "Sáng 19/4, Tổng Bí thư Hoàng Đức Minh chủ trì phiên họp của Bộ Chính trị.",
            ),
        ],
        "Hoàng Đức Minh",
        1,
        id="a national leader in a provincial and a national article",
    ),
    pytest.param(
        [
            (
                "Huyện ủy Bảo Lâm tổng kết công tác năm",
                "05/01/2021",
                "Đồng chí Nông Văn Toàn, Tỉnh ủy viên, Bí thư Huyện ủy Bảo Lâm phát biểu.",
            ),
            (
                "Tỉnh ủy Cao Bằng giao ban",
                "12/06/2021",
                "Dự có đồng chí Nông Văn Toàn, Tỉnh ủy viên.",
            ),
        ],
        "Nông Văn Toàn",
        1,
        id="a provincial leader named with fewer roles in a later article",
    ),
    pytest.param(
        [
            (
                "Huyện ủy Bảo Lâm tổng kết công tác năm",
                "05/01/2021",
                "Đồng chí Lục Văn Hải, Bí thư Huyện ủy Bảo Lâm phát biểu.",
            ),
            (
                "Huyện ủy Lộc Bình tổng kết công tác năm",
                "07/01/2021",
                "Đồng chí Lục Văn Hải, Bí thư Huyện ủy Lộc Bình phát biểu.",
            ),
        ],
        "Lục Văn Hải",
        2,
        id="namesakes: secretaries of two district committees in the same year",
    ),
]


@pytest.mark.parametrize(("articles", "name", "expected"), CASES)
def test_people_across_articles(tmp_path, articles, name, expected):
    for n, (title, day, body) in enumerate(articles):
        write(tmp_path, f"a{n}.txt", title, day, body)
    store = ingest(tmp_path)
    assert len(person_iris(store, name)) == expected


def test_reingesting_keeps_every_identity(tmp_path):
    (first, second), _, _ = CASES[2].values
    write(tmp_path, "a0.txt", *first)
    write(tmp_path, "a1.txt", *second)
    store = ingest(tmp_path)
    before = person_iris(store, "Lục Văn Hải")
    ingest_paths([tmp_path], store, base_iri=BASE)
    assert person_iris(store, "Lục Văn Hải") == before


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (Seat("chair", "peoples-committee", "x", 2020), Seat("chair", "peoples-committee", "y", 2020), True),
        (Seat("chair", "peoples-committee", "x", 2020), Seat("chair", "peoples-committee", "x", 2020), False),
        (Seat("member", "party-committee", "x", 2020), Seat("member", "party-committee", "y", 2020), False),
        (Seat("chair", "peoples-committee", "x", None), Seat("chair", "peoples-committee", "y", 2020), False),
        (Seat("chair", "peoples-council", "x", 2020), Seat("chair", "peoples-committee", "y", 2020), False),
    ],
)
def test_conflicting_seats(a, b, expected):
    assert conflicts(a, b) is expected
