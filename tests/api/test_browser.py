"""The pages in a real headless Chromium (Debian's `chromium`; `.ci/run` installs it).
Screenshots go to test-artifacts/."""

import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium: `apt-get install chromium` (Debian) to run the browser tests"
)


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="pip install playwright (dev extras)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.errors = []
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    page.close()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_query_page_runs_a_named_query(page, server):
    page.goto(server.url + "/")
    page.wait_for_selector(".tabPanel.active .CodeMirror", timeout=20_000)
    assert page.evaluate("window.kgYasgui.getTab().getEndpoint()") == server.url + "/sparql"
    page.click("button:text-is('holders_of_role')")
    page.wait_for_selector(".tabPanel.active .yasr table tbody tr", timeout=20_000)
    rows = page.locator(".tabPanel.active .yasr table tbody tr").count()
    shot(page, "query-page")
    assert rows >= 10
    assert "Vương Đình Huệ" in page.inner_text(".tabPanel.active .yasr")
    assert page.errors == []


def test_query_page_draws_a_chart(page, server):
    page.goto(server.url + "/")
    page.wait_for_selector(".tabPanel.active .CodeMirror", timeout=20_000)
    page.click("button:text-is('organs_by_type_and_place')")
    page.wait_for_selector(".tabPanel.active .yasr table tbody tr", timeout=20_000)
    page.click(".tabPanel.active .yasr .select_chart")
    page.wait_for_selector(".tabPanel.active svg.kg-chart rect", timeout=10_000)
    shot(page, "query-page-chart")
    assert page.locator(".tabPanel.active svg.kg-chart rect").count() >= 5
    assert page.errors == []


def test_organ_page_shows_timeline_and_graph(page, server):
    page.goto(server.url + "/id/organ/party-committee-city-ha-noi-district-dong-da")
    page.wait_for_selector("h1")
    shot(page, "organ-page")
    assert "Đống Đa" in page.inner_text("h1")
    timeline = page.inner_text("ol.timeline")
    assert "secretary" in timeline and "Hà Minh Hải" in timeline
    assert "2020-09-15" in timeline
    assert page.locator("svg.graph circle").count() >= 5
    assert page.locator("svg.graph text", has_text="Hà Minh Hải").count() == 1
    assert page.errors == []


def test_person_page_links_to_the_sources(page, server):
    page.goto(server.url + "/id/person/pham-thanh-hoc")
    page.wait_for_selector("ol.timeline")
    shot(page, "person-page")
    assert page.locator("ol.timeline li").count() >= 2
    assert "Phạm Thanh Học" in page.inner_text("ol.timeline blockquote >> nth=0")
    page.click("ol.timeline li >> nth=0 >> a >> text=Ban Tuyên giáo Hà Nội")
    page.wait_for_selector("h1")
    assert "Ban Tuyên giáo" in page.inner_text("h1")
    assert page.errors == []


@pytest.mark.parametrize(
    ("path", "rendered"), [("/docs", ".swagger-ui .opblock"), ("/redoc", ".redoc-wrap .api-content")]
)
def test_api_reference_renders_with_the_network_off(page, server, path, rendered):
    outside: list[str] = []

    def only_local(route):
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            if route.request.resource_type != "image":  # ReDoc's own logo is the one image it fetches
                outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(server.url + path)
    page.wait_for_selector(rendered, timeout=20_000)
    shot(page, f"api-reference{path.replace('/', '-')}")
    assert outside == []
    assert "SPARQL" in page.inner_text("body")


def test_search_a_person_typed_without_accents_and_open_the_page(page, server):
    page.goto(server.url + "/")
    page.fill("form.kg-search input[name=q]", "pham thanh hoc")
    page.press("form.kg-search input[name=q]", "Enter")
    page.wait_for_selector("ol.results li a")
    shot(page, "search-results")
    page.click("ol.results li a:text-is('Phạm Thanh Học')")
    page.wait_for_selector("h1")
    shot(page, "search-person-page")
    assert "Phạm Thanh Học" in page.inner_text("h1")
    assert page.url.endswith("/id/person/pham-thanh-hoc")
    assert page.errors == []


def test_an_iri_in_query_results_opens_its_local_page(page, server):
    page.goto(server.url + "/")
    page.wait_for_selector(".tabPanel.active .CodeMirror", timeout=20_000)
    page.evaluate(
        "() => { const tab = window.kgYasgui.getTab();"
        " tab.setQuery('PREFIX cpv: <https://w3id.org/cpv-kg/ontology#> SELECT ?person WHERE { ?person a cpv:Person } ORDER BY ?person LIMIT 3');"
        " tab.query(); }"
    )
    link = page.wait_for_selector(".tabPanel.active .yasr a[href^='/id/person/']", timeout=20_000)
    shot(page, "query-results-local-links")
    link.click()
    page.wait_for_selector("h1")
    assert "/id/person/" in page.url
    assert page.url.startswith(server.url)
    assert page.errors == []


def _visible_text_without_the_iri_line(page) -> str:
    """The page's text less the line that names its own IRI (shown on purpose)."""
    return page.evaluate(
        "() => document.body.innerText.replace(document.querySelector('p code')?.innerText ?? '', '')"
    )


def _open(page, selector: str, step: str) -> None:
    """Follow the first link matching ``selector``, then check the page shows labels, not IRIs."""
    page.click(selector + " >> nth=0")
    page.wait_for_selector("h1")
    shot(page, step)
    text = _visible_text_without_the_iri_line(page)
    assert "https://w3id.org/cpv-kg/" not in text, f"{step}: a raw IRI is shown"
    assert "/code/" not in text, f"{step}: a raw code IRI is shown"


def test_walk_from_a_search_to_a_document(page, server):
    """Search a person typed without accents, then person → role's organ → meeting → article → document."""
    page.goto(server.url + "/")
    page.fill("form.kg-search input[name=q]", "dang duc cuong")
    page.press("form.kg-search input[name=q]", "Enter")
    page.wait_for_selector("ol.results li a")
    shot(page, "walk-1-search")
    _open(page, "ol.results li a:text-is('Đặng Đức Cường')", "walk-2-person")
    assert page.url.endswith("/id/person/dang-duc-cuong")
    holding = page.locator("ol.timeline li", has_text="Secretary")  # the role by its labels
    assert "Bí thư · Secretary" in holding.first.inner_text()
    _open(page, "ol.timeline li:has-text('Secretary') a[href^='/id/organ/']", "walk-3-organ")
    assert "/id/organ/" in page.url
    _open(page, "ol.timeline a[href*='/meeting/']", "walk-4-meeting")
    assert "Hội nghị · Meeting" in page.inner_text("body")
    assert "Học tập, quán triệt · Dissemination" in page.inner_text("body")  # the meeting's kind
    _open(page, "p:has-text('From the article') a", "walk-5-article")
    assert "/id/article/" in page.url
    assert "What this article attests" in page.inner_text("body")
    _open(page, "ul.timeline a[href^='/id/document/']", "walk-6-document")
    assert "/id/document/" in page.url
    assert "Cited by meetings and articles" in page.inner_text("body")
    assert page.errors == []


def _editor_ready(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".tabPanel.active .CodeMirror", timeout=20_000)


def _type_into_new_tab(page, start: str, typed: str) -> list[str]:
    page.evaluate(
        "(start) => { window.kgYasgui.addTab(true); const y = window.kgYasgui.getTab().getYasqe();"
        " y.setValue(start); y.setCursor(y.lineCount(), 0); y.focus(); }",
        start,
    )
    page.keyboard.type(typed)
    page.wait_for_selector(".CodeMirror-hints li", timeout=5_000)
    return page.locator(".CodeMirror-hints li").all_inner_texts()


def test_query_page_completes_classes_properties_and_codes(page, server):
    _editor_ready(page, server.url + "/")
    classes = _type_into_new_tab(page, "SELECT * WHERE { ?s a ", "cpv:Pe")
    assert any(hint.startswith("cpv:Person") and "Người · Person" in hint for hint in classes)
    # The prefix was not declared: typing it declared it, from the ontology, not prefix.cc.
    assert "PREFIX cpv: <https://w3id.org/cpv-kg/ontology#>" in page.evaluate(
        "window.kgYasgui.getTab().getQuery()"
    )
    page.keyboard.press("Escape")
    properties = _type_into_new_tab(page, "SELECT * WHERE { ?h ", "org:mem")
    assert any(hint.startswith("org:member") for hint in properties)
    page.keyboard.press("Escape")
    codes = _type_into_new_tab(page, "SELECT * WHERE { ?h org:role ", "role:secr")
    assert any(hint.startswith("role:secretary") and "Bí thư · Secretary" in hint for hint in codes)
    shot(page, "query-page-completion")
    assert page.errors == []


def test_query_page_results_show_labels_and_plain_literals(page, server):
    _editor_ready(page, server.url + "/")
    page.click("button:text-is('person_organs')")
    page.wait_for_selector(".tabPanel.active .yasr table tbody tr a.kg-local", timeout=20_000)
    shot(page, "query-page-labelled-results")
    table = page.inner_text(".tabPanel.active .yasr table tbody")
    assert "https://w3id.org/cpv-kg/" not in table  # data IRIs are shown by their labels
    assert "^^" not in table and "@vi" not in table  # literals without datatype or language noise
    first = page.locator(".tabPanel.active .yasr table tbody a.kg-local").first
    assert first.get_attribute("href").startswith("/id/")
    assert first.get_attribute("title").startswith("https://w3id.org/cpv-kg/id/")  # the IRI on hover
    # (A cell cut short by YASGUI's "Ellipse" takes the first click to open: follow a whole one.)
    organ = page.locator(".tabPanel.active .yasr table tbody div:not(.expandable) > span > a.kg-local").first
    label = organ.inner_text()
    organ.click()
    page.wait_for_selector("h1")
    shot(page, "query-page-result-opened")
    assert page.url.startswith(server.url + "/id/")
    assert page.inner_text("h1") == label
    assert page.errors == []


def test_query_page_keeps_its_tabs_across_reloads(page, server):
    _editor_ready(page, server.url + "/")
    page.evaluate(
        "() => { window.kgYasgui.addTab(true); window.kgYasgui.getTab().setQuery('ASK { ?s ?p ?o } # mine'); }"
    )
    page.reload()
    page.wait_for_selector(".tabPanel.active .CodeMirror", timeout=20_000)
    queries = page.evaluate(
        "Object.values(window.kgYasgui._tabs).map((tab) => tab.getPersistedJson().yasqe.value)"
    )
    assert "ASK { ?s ?p ?o } # mine" in queries
    assert page.errors == []


def test_a_share_link_reproduces_the_query(browser, page, server):
    _editor_ready(page, server.url + "/")
    query = (
        "PREFIX cpv: <https://w3id.org/cpv-kg/ontology#>\nSELECT ?organ WHERE { ?organ a cpv:Organ } LIMIT 4"
    )
    page.evaluate("(q) => { window.kgYasgui.addTab(true); window.kgYasgui.getTab().setQuery(q); }", query)
    link = page.evaluate("window.kgYasgui.getTab().getShareableLink()")
    assert link.startswith(server.url)
    fresh = browser.new_context()  # nothing kept from the first visit
    try:
        other = fresh.new_page()
        other.goto(link)
        other.wait_for_selector(".tabPanel.active .yasr table tbody tr", timeout=20_000)
        assert other.evaluate("window.kgYasgui.getTab().getQuery()") == query
        assert other.locator(".tabPanel.active .yasr table tbody tr").count() == 4
    finally:
        fresh.close()
