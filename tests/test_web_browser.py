"""The page of `kg serve` in a real headless Chromium (Debian's, driven by Playwright for Python; no browser
download): search finds ANKH and opens its card, a prediction of ENPP1=ko shows PPi decreased on the overlay and
in the table, its permalink reproduces it, completion offers names, effects and variants, the API documentation
renders, hostile labels stay text -- and no console error, no request beyond the server."""

from __future__ import annotations

import shutil
import time

import pytest

from kg.export.style import DIRECTION_COLOURS
from tests.conftest import require
from tests.web_fixtures import Server

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    require(shutil.which("chromium") is not None or shutil.which(CHROMIUM) is not None,
            "Debian's chromium is not installed (apt-get install chromium; make install does)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(curated_build):
    with Server(curated_build) as running:
        yield running


class Watched:
    """A page with its console errors, page errors and requests beyond the server recorded."""

    def __init__(self, browser, base: str) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.elsewhere: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if r.url.startswith((base, "data:")) else self.elsewhere.append(r.url))

    def until(self, expression: str, timeout: float = 30.0) -> object:
        """Poll a JavaScript expression from here (the page's policy forbids evaluating strings in it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.page.evaluate(f"() => {expression}")
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {expression}")

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def watched(browser, server):
    page = Watched(browser, server.url)
    yield page
    page.close()


def ppi_row(watched: Watched, ppi: str) -> str:
    watched.page.wait_for_selector(f"#readout-table tr[data-id='{ppi}']", state="attached", timeout=60_000)
    return watched.page.text_content(f"#readout-table tr[data-id='{ppi}']")


def test_search_card_prediction_overlay_table_and_permalink(watched, server, curated_graph):
    page = watched.page
    page.goto(server.url)
    watched.until("window.kgReady === true")
    page.fill("#search", "ANKH")
    page.press("#search", "Enter")
    page.wait_for_selector("#card-title", timeout=30_000)
    assert page.text_content("#card-title") == "ANKH"
    links = page.eval_on_selector_all("#card a", "as => as.map(a => a.href)")
    assert any(href.startswith("https://pubmed.ncbi.nlm.nih.gov/") for href in links)

    ppi = curated_graph.resolve("PPi").id
    page.fill("#perturbations", "ENPP1=ko")
    page.click("#predict-form button[type=submit]")
    row = ppi_row(watched, ppi)
    assert "▼ decrease" in row and "PPi" in row and "kinetic" in row
    node = watched.until(f"(n => n.hasClass('overlaid') && {{fill: n.style('background-color'), "
                         f"label: n.data('overlay_label')}})(window.kgCy.getElementById('{ppi}'))")
    hex_colour = DIRECTION_COLOURS["decrease"]
    assert node["fill"] == "rgb({},{},{})".format(*(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)))
    assert "▼" in node["label"]
    assert "Predicted response to ENPP1=ko in plasma" in page.text_content("#overlay-title")
    assert "p=ENPP1%3Dko" in page.url

    again = page.context.new_page()  # the permalink reproduces the prediction by itself
    again.goto(page.url)
    again.wait_for_selector(f"#readout-table tr[data-id='{ppi}']", state="attached", timeout=60_000)
    assert "decrease" in again.text_content(f"#readout-table tr[data-id='{ppi}']")
    assert watched.errors == [] and watched.elsewhere == []


def test_completion_offers_effects_and_variants(watched, server):
    page = watched.page
    page.goto(server.url)
    watched.until("window.kgReady === true")
    page.fill("#perturbations", "ENPP")
    page.dispatch_event("#perturbations", "input")
    options = watched.until("Array.from(document.querySelectorAll('#perturbation-options option'))"
                            ".map(o => o.value).filter(v => v.startsWith('ENPP1=')).length && "
                            "Array.from(document.querySelectorAll('#perturbation-options option')).map(o => o.value)")
    assert {"ENPP1=ko", "ENPP1=up"} <= set(options)
    page.fill("#perturbations", "ALPL=ko ANKH:p.P")
    page.dispatch_event("#perturbations", "input")
    options = watched.until("Array.from(document.querySelectorAll('#perturbation-options option'))"
                            ".map(o => o.value).filter(v => v.includes(':p.P')).length && "
                            "Array.from(document.querySelectorAll('#perturbation-options option')).map(o => o.value)")
    assert "ALPL=ko ANKH:p.P5L" in options
    assert watched.errors == []


def test_a_bad_perturbation_shows_the_cli_s_message(watched, server):
    page = watched.page
    page.goto(server.url)
    watched.until("window.kgReady === true")
    page.fill("#perturbations", "ENPPX=ko")
    page.click("#predict-form button[type=submit]")
    message = watched.until("document.querySelector('#predict-status.error') && "
                            "document.querySelector('#predict-status').textContent")
    assert message.startswith("unknown entity 'ENPPX'")
    # a failed request is reported on the page; the browser logs the HTTP status, nothing else
    assert all("404" in e for e in watched.errors)


def test_the_api_documentation_renders_from_the_server_alone(watched, server):
    page = watched.page
    page.goto(server.url + "docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert "kg" in page.text_content(".swagger-ui .info .title")
    page.wait_for_selector("[data-path='/api/v1/predict']", state="attached", timeout=30_000)
    assert watched.errors == [] and watched.elsewhere == []


def test_hostile_labels_stay_text(browser, tmp_path):
    from kg.build import build
    from kg.rdf.formats import write_rdf
    from tests.hostile import LABELS, hostile_graph

    rdf = tmp_path / "hostile.ttl"
    with rdf.open("w", encoding="utf-8") as fh:
        write_rdf(hostile_graph(), "turtle", fh)
    out = tmp_path / "build"
    build([rdf], out)
    with Server(out) as server:
        watched = Watched(browser, server.url)
        try:
            page = watched.page
            page.goto(server.url + "?all=1")
            watched.until(f"window.kgReady === true && "
                          f"window.kgCy.nodes(\"[kind = 'entity']\").length === {len(hostile_graph())}")
            labels = page.evaluate("() => window.kgCy.nodes(\"[kind = 'entity']\").map(n => n.data('name'))")
            assert set(LABELS) <= set(labels)
            page.fill("#search", "ANKH")
            page.press("#search", "Enter")
            page.wait_for_selector("#card-title", timeout=30_000)
            assert "</script>" in page.text_content("#card")
            assert page.evaluate("() => window.kgPwned === undefined")
            assert page.evaluate("() => document.images.length") == 0
            assert watched.errors == [] and watched.elsewhere == []
        finally:
            watched.close()


HOSTILE_TSV = ("source\ttarget\tpredicate\tpmid\tstatus\tnew\n"
               "<script>window.kgPwned = 7</script>\t<img src=x onerror=\"window.kgPwned = 8\">\tpositively_regulates"
               "\tPMID:12345\thypothesis\tboth\n"
               "</title><svg onload=window.kgPwned=9>\tANKHX\tnegatively_regulates\t12345\thypothesis\tboth\n")


def test_a_users_imported_network_without_the_core_module_opens_whole_and_stays_text(browser, tmp_path):
    """A graph built from nothing but a user's TSV: the page falls back to the whole graph (it has no core module)
    and its hostile labels are drawn, searched and carded as text; its diagram holds no script either."""
    import httpx

    from kg.build import build

    tsv = tmp_path / "mine.tsv"
    tsv.write_text(HOSTILE_TSV, encoding="utf-8")
    out = tmp_path / "build"
    build([tsv], out)
    with Server(out) as server:
        watched = Watched(browser, server.url)
        try:
            page = watched.page
            page.goto(server.url)
            watched.until("window.kgReady === true && window.kgCy.nodes(\"[kind = 'entity']\").length === 4")
            labels = page.evaluate("() => window.kgCy.nodes(\"[kind = 'entity']\").map(n => n.data('name'))")
            assert "<script>window.kgPwned = 7</script>" in labels
            page.fill("#search", "ANKHX")
            page.press("#search", "Enter")
            page.wait_for_selector("#card-title", timeout=30_000)
            assert "</title><svg onload=window.kgPwned=9>" in page.text_content("#card")
            assert page.evaluate("() => window.kgPwned === undefined && document.images.length === 0")
            assert watched.errors == [] and watched.elsewhere == []
        finally:
            watched.close()
        svg = httpx.get(server.url + "api/v1/diagram", timeout=60).text
        assert "<script" not in svg and "&lt;script&gt;" in svg
