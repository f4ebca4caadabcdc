"""Saved web pages and crawl archives as input: a folder of HTML pages and a WARC file the
test builds itself, with our own text, and a broken record among good ones."""

import gzip
import io
import shutil
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from kg.articles import Article, read_articles
from kg.config import DEFAULT_BASE_IRI as BASE
from kg.errors import ArticleError
from kg.ingest import ingest_paths
from kg.store import OxigraphStore

PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>{title} - Cổng thông tin thử nghiệm</title>
<meta property="article:published_time" content="{published}">
<meta name="author" content="Thu Hà">
</head><body>
<nav><a href="/">Trang chủ</a> | <a href="/tin">Tin tức</a> | <a href="/lh">Liên hệ</a></nav>
<article><h1>{title}</h1>
<p>{lead}</p>
<p>Dự hội nghị có đồng chí {person} - Bí thư Huyện ủy; các đồng chí trong Ban Thường vụ Huyện ủy và
lãnh đạo các ban, ngành, đoàn thể của huyện.</p>
<p>Hội nghị đã thống nhất các nhiệm vụ trọng tâm trong thời gian tới và giao các cơ quan tham mưu
xây dựng kế hoạch triển khai cụ thể.</p>
</article>
<footer>Bản quyền thuộc về cổng thông tin thử nghiệm. Ghi rõ nguồn khi phát hành lại.</footer>
</body></html>"""

PAGES = [
    {
        "title": "Huyện ủy Tam Dương tổ chức hội nghị quán triệt nghị quyết",
        "published": "2023-04-12T08:30:00+07:00",
        "lead": "Ngày 11/4/2023, Huyện ủy Tam Dương tổ chức hội nghị học tập, quán triệt nghị quyết cho cán bộ chủ chốt.",
        "person": "Lương Văn Khải",
    },
    {
        "title": "Huyện ủy Lập Thạch sơ kết công tác xây dựng Đảng",
        "published": "2022-07-02T09:00:00+07:00",
        "lead": "Ngày 1/7/2022, Huyện ủy Lập Thạch tổ chức hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm.",
        "person": "Kiều Thị Nhàn",
    },
]


def _page(n: int) -> bytes:
    return PAGE.format(**PAGES[n]).encode("utf-8")


def _titles(store: OxigraphStore) -> dict[str, str]:
    rows = store.query("SELECT ?a ?t WHERE { ?a a cpv:Article ; dcterms:title ?t }")
    return {row["a"].value: row["t"].value for row in rows}


def test_a_folder_of_saved_pages(tmp_path: Path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "tam-duong.html").write_bytes(_page(0))
    (folder / "lap-thach.htm").write_bytes(_page(1))
    (folder / "empty.html").write_text("<html><body><nav>Trang chủ</nav></body></html>", encoding="utf-8")
    items = list(read_articles([folder]))
    articles = {a.identifier: a for a in items if isinstance(a, Article)}
    assert set(articles) == {"tam-duong.html", "lap-thach.htm"}
    page = articles["tam-duong.html"]
    assert page.title == PAGES[0]["title"]  # the heading, not the site's <title> suffix
    assert str(page.published) == "2023-04-12"  # from the page's metadata
    assert page.byline == "Thu Hà"
    assert "Trang chủ" not in page.body and "Bản quyền" not in page.body  # navigation and footer left out
    assert [e.source for e in items if isinstance(e, ArticleError)] == [str(folder / "empty.html")]
    store = OxigraphStore()
    report = ingest_paths([folder], store, base_iri=BASE)
    assert len(report.ingested) == 2 and len(report.failed) == 1
    names = {row["n"].value for row in store.query("SELECT ?n WHERE { ?p a cpv:Person ; foaf:name ?n }")}
    assert {"Lương Văn Khải", "Kiều Thị Nhàn"} <= names


def _warc(path: Path, responses: list[tuple[str, bytes, str]]) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.suffix == ".gz")
        for url, body, content_type in responses:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
                )
            )


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_a_crawl_archive(tmp_path: Path, name: str):
    archive = tmp_path / name
    _warc(
        archive,
        [
            ("https://tin.example.vn/tam-duong", _page(0), "text/html; charset=utf-8"),
            ("https://tin.example.vn/logo.png", b"\x89PNG\r\n", "image/png"),  # not a page: passed over
            ("https://tin.example.vn/trong", b"<html><body></body></html>", "text/html"),  # no text
            ("https://tin.example.vn/lap-thach", _page(1), "text/html"),
        ],
    )
    store = OxigraphStore()
    report = ingest_paths([archive], store, base_iri=BASE)
    assert len(report.ingested) == 2
    assert [f.source.rsplit(" ", 1)[-1] for f in report.failed] == ["https://tin.example.vn/trong"]
    sources = {
        row["s"].value for row in store.query("SELECT ?s WHERE { ?a a cpv:Article ; dcterms:source ?s }")
    }
    assert sources == {"https://tin.example.vn/tam-duong", "https://tin.example.vn/lap-thach"}
    assert set(_titles(store).values()) == {p["title"] for p in PAGES}


def test_a_broken_archive_is_reported_and_the_rest_ingested(tmp_path: Path):
    good = tmp_path / "good.warc"
    _warc(good, [("https://tin.example.vn/tam-duong", _page(0), "text/html")])
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(gzip.compress(b"this is not a WARC record at all\r\n\r\n"))
    store = OxigraphStore()
    report = ingest_paths([good, broken], store, base_iri=BASE)
    assert len(report.ingested) == 1
    assert [f.source for f in report.failed] == [str(broken)]
    assert "WARC" in report.failed[0].reason


def test_the_summary_counts_each_kind_of_input(tmp_path: Path, corpus: Path):
    import json

    from typer.testing import CliRunner

    from kg.cli import app

    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "tam-duong.html").write_bytes(_page(0))
    (folder / "menu.html").write_text("<html><body><nav>Trang chủ</nav></body></html>", encoding="utf-8")
    shutil.copy(sorted(corpus.glob("*.txt"))[0], folder / "a.txt")
    _warc(folder / "crawl.warc.gz", [("https://tin.example.vn/lap-thach", _page(1), "text/html")])
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        app, ["ingest", str(folder), "--store", str(tmp_path / "store"), "--report", str(report)]
    )
    assert result.exit_code == 1  # one page had no text
    assert "html: 1 ingested, 1 skipped" in result.output
    assert "txt: 1 ingested, 0 skipped" in result.output and "warc: 1 ingested, 0 skipped" in result.output
    written = json.loads(report.read_text(encoding="utf-8"))
    assert written["by_kind"]["html"] == {"ingested": 1, "skipped": 1}
    assert [s["source"] for s in written["skipped_articles"]] == [str(folder / "menu.html")]
