"""The web API with the framework's test client: every route answers the JSON of its CLI command, and every error
path answers JSON with the CLI's message and the right status, never a traceback."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import require
from tests.web_fixtures import cli_json, client

API = "/api/v1"


@pytest.fixture(scope="module")
def web(curated_build):
    with client(curated_build) as c:
        yield c


def ok(response, media="application/json"):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    return response.json() if media == "application/json" else response


def error(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status and body["error"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


# ---- the graph: search, resolve, cards, counts, named queries ---------------------------------------------------
def test_search_ranks_exact_names_first_and_lists_variants_with_their_gene(web, curated_build):
    rows = ok(web.get(f"{API}/search", params={"q": "ankh", "limit": 5}))
    assert rows == cli_json(curated_build, "search", "ankh", "--limit", "5")
    assert rows[0]["label"] == "ANKH"
    variant = next(r for r in rows if r["category"] == "sequence_variant")
    assert variant["gene"] == rows[0]["id"] and variant["hgvs"]
    assert ok(web.get(f"{API}/search", params={"q": "tnap"}))[0]["symbol"] == "ALPL"  # synonyms count
    error(web.get(f"{API}/search", params={"q": ""}), 422)
    error(web.get(f"{API}/search", params={"q": "ankh", "limit": 0}), 422)
    error(web.get(f"{API}/search", params={"q": "x" * 201}), 422)
    error(web.get(f"{API}/search", params={"q": "- -"}), 400)


def test_resolve_and_cards_are_kg_show(web, curated_build):
    tnap = ok(web.get(f"{API}/resolve", params={"name": "TNAP"}))
    assert tnap["symbol"] == "ALPL"
    card = ok(web.get(f"{API}/entities/TNAP"))
    assert card == cli_json(curated_build, "show", "TNAP")
    assert card == ok(web.get(f"{API}/entities/{tnap['id']}"))  # by id or by name
    assert card["edges"] and all(e["evidence"] for e in card["edges"])
    body = error(web.get(f"{API}/entities/ANKHH"), 404)
    assert body["error"].startswith("unknown entity 'ANKHH'") and "ANKH" in body["suggestions"]
    assert error(web.get(f"{API}/resolve", params={"name": "ANKHH"}), 404)["suggestions"]


def test_edge_evidence_and_publication_cards_are_kg_show_of_their_ids(web, curated_build):
    first = ok(web.get(f"{API}/entities/ANKH"))["edges"][0]
    edge = ok(web.get(f"{API}/edges/{first['id']}"))
    assert edge == cli_json(curated_build, "show", first["id"]) == ok(web.get(f"{API}/cards/{first['id']}"))
    assert edge["kind"] == "edge" and edge["subject_label"] and edge["object_label"] and edge["evidence"]
    assert error(web.get(f"{API}/edges/KG:edge.0000000000000000"), 404)["error"] == \
        "unknown edge 'KG:edge.0000000000000000'"
    source = first["evidence"][0]["source"]
    publication = ok(web.get(f"{API}/publications/{source}"))
    assert publication == cli_json(curated_build, "show", source) and publication["cited_by"]
    error(web.get(f"{API}/publications/ANKH"), 404)  # a name, but no publication
    assert ok(web.get(f"{API}/cards/TNAP")) == cli_json(curated_build, "show", "TNAP")


def test_contexts_info_and_named_queries_are_the_cli_s(web, curated_build):
    assert ok(web.get(f"{API}/contexts")) == cli_json(curated_build, "search", "--contexts")
    assert ok(web.get(f"{API}/info")) == cli_json(curated_build, "info")
    assert ok(web.get(f"{API}/queries")) == cli_json(curated_build, "query", "run", "list")
    rows = ok(web.get(f"{API}/queries/regulators", params={"target": "ANKH"}))
    assert rows and rows == cli_json(curated_build, "query", "run", "regulators", "--param", "target=ANKH")
    assert "unknown named query 'nosuch'" in error(web.get(f"{API}/queries/nosuch"), 400)["error"]
    error(web.get(f"{API}/queries/regulators"), 400)  # its required parameter is missing
    error(web.get(f"{API}/queries/regulators", params={"target": "NOSUCHGENE"}), 404)
    error(web.get(f"{API}/queries/bad-name!"), 422)
    many = {f"p{i}": "x" for i in range(21)}
    assert "at most 20 parameters" in error(web.get(f"{API}/queries/regulators", params=many), 400)["error"]


def test_a_bound_parameter_is_a_value_never_query_text(web):
    sneaky = "ANKH } UNION { ?s ?p ?o"
    body = error(web.get(f"{API}/queries/regulators", params={"target": sneaky}), 404)
    assert body["name"] == sneaky


# ---- the simulator ----------------------------------------------------------------------------------------------
def test_predict_get_and_post_are_kg_predict(web, curated_build):
    expected = cli_json(curated_build, "predict", "ENPP1=ko")
    assert ok(web.get(f"{API}/predict", params={"perturbation": "ENPP1=ko"})) == expected
    assert ok(web.post(f"{API}/predict", json={"perturbations": ["ENPP1=ko"]})) == expected
    both = ok(web.get(f"{API}/predict", params=[("perturbation", "ENPP1=ko"), ("perturbation", "ALPL=ko"),
                                                ("context", "chondrocyte"), ("readout", "PPi")]))
    assert both == cli_json(curated_build, "predict", "ENPP1=ko", "ALPL=ko", "--context", "chondrocyte",
                            "--readout", "PPi")
    ppi = next(r for r in expected["readouts"] if r["label"] == "PPi")
    assert ppi["direction"] == "decrease"


def test_predict_errors_say_what_the_cli_says(web, curated_build):
    from click.testing import CliRunner

    from kg.cli import main

    unknown = error(web.get(f"{API}/predict", params={"perturbation": "ENPPX=ko"}), 404)
    cli = CliRunner().invoke(main, ["predict", "ENPPX=ko", "--build-dir", str(curated_build)])
    assert cli.exit_code == 2 and f"error: {unknown['error']}" in cli.output
    assert "known contexts" in error(web.get(f"{API}/predict", params={"perturbation": "ENPP1=ko",
                                                                        "context": "mars"}), 400)["error"]
    error(web.get(f"{API}/predict", params={"perturbation": "ENPP1=sideways"}), 400)
    error(web.get(f"{API}/predict"), 422)
    error(web.get(f"{API}/predict", params=[("perturbation", "ENPP1=ko")] * 21), 422)
    assert "at most 200 characters" in error(web.get(f"{API}/predict", params={"perturbation": "A" * 201}),
                                             400)["error"]
    error(web.post(f"{API}/predict", json={"perturbations": []}), 422)
    error(web.post(f"{API}/predict", content=b"{not json", headers={"content-type": "application/json"}), 422)


def test_predict_with_an_ensemble_is_kg_predict_ensemble(web, curated_build):
    expected = cli_json(curated_build, "predict", "ANKH:p.P5L", "--readout", "PPi", "--ensemble", "30", "--seed",
                        "7", "--threshold", "0.9")
    got = ok(web.get(f"{API}/predict", params={"perturbation": "ANKH:p.P5L", "readout": "PPi", "ensemble": 30,
                                               "seed": 7, "threshold": 0.9}))
    assert got == expected
    assert got["ensemble"]["n"] == 30 and got["ensemble"]["seed"] == 7
    ppi = got["readouts"][0]
    assert {"fold_interval", "fold_median", "probability"} <= set(ppi)
    posted = ok(web.post(f"{API}/predict", json={"perturbations": ["ANKH:p.P5L"], "readouts": ["PPi"],
                                                 "ensemble": 30, "seed": 7, "threshold": 0.9}))
    assert posted == expected
    plain = ok(web.get(f"{API}/predict", params={"perturbation": "ANKH:p.P5L", "readout": "PPi"}))
    assert "ensemble" not in plain and "fold_interval" not in plain["readouts"][0]
    error(web.get(f"{API}/predict", params={"perturbation": "ENPP1=ko", "ensemble": 1001}), 422)
    error(web.get(f"{API}/predict", params={"perturbation": "ENPP1=ko", "ensemble": 10, "threshold": 0.5}), 422)
    error(web.post(f"{API}/predict", json={"perturbations": ["ENPP1=ko"], "ensemble": -1}), 422)


def test_predict_plot_is_the_cli_s_chart(web):
    svg = ok(web.get(f"{API}/predict/plot", params={"perturbation": "ENPP1=ko"}), "image/svg+xml").text
    assert "PPi" in svg and "Predicted response to ENPP1=ko in plasma" in svg
    png = ok(web.get(f"{API}/predict/plot", params={"perturbation": "ENPP1=ko", "format": "png"}), "image/png")
    assert png.content.startswith(b"\x89PNG")
    error(web.get(f"{API}/predict/plot", params={"perturbation": "ENPP1=ko", "format": "gif"}), 422)
    ask = {"perturbation": "ENPP1=ko", "readout": ["PPi", "ATP"]}
    nominal = ok(web.get(f"{API}/predict/plot", params=ask), "image/svg+xml").text
    spread = ok(web.get(f"{API}/predict/plot", params={**ask, "ensemble": 20}), "image/svg+xml").text
    assert spread.count('id="patch_') > nominal.count('id="patch_')  # bars to the median, with error bars


def test_screen_is_kg_screen(web, curated_build):
    rows = ok(web.get(f"{API}/screen", params={"top": 5}))
    assert rows == cli_json(curated_build, "screen", "--top", "5")
    error(web.get(f"{API}/screen", params={"effect": "explode"}), 422)
    error(web.get(f"{API}/screen", params={"readout": "NOSUCHTHING"}), 404)


CASES = """readouts:
  PPi: [PPi]
cases:
  - id: W1
    context: plasma
    perturb: [ENPP1=ko]
    expect: {PPi: decrease}
"""


def test_check_scores_an_uploaded_cases_file_as_kg_check(web, curated_build, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(CASES, encoding="utf-8")
    got = ok(web.post(f"{API}/check", files={"cases": ("mine.yaml", CASES.encode(), "application/x-yaml")}))
    assert got == cli_json(curated_build, "check", str(path))
    assert got["summary"]["expectations"] == 1


def test_check_errors_name_the_uploaded_file_line_and_field(web):
    bad = "cases:\n  - id: W1\n    perturb: [ENPP1=ko]\n    expect: 7\n"
    body = error(web.post(f"{API}/check", files={"cases": ("bad.yaml", bad.encode(), "text/plain")}), 422)
    assert body["errors"] and all(e["file"] == "bad.yaml" for e in body["errors"])
    assert any(e["line"] == 2 for e in body["errors"])
    error(web.post(f"{API}/check", files={"cases": ("cases.txt", CASES.encode(), "text/plain")}), 400)
    error(web.post(f"{API}/check"), 422)
    unknown = CASES.replace("ENPP1=ko", "NOSUCHGENE=ko")
    assert "NOSUCHGENE" in error(web.post(f"{API}/check", files={"cases": ("u.yaml", unknown.encode(), "text/plain")}),
                                 422)["error"]


# ---- pictures and the page's data --------------------------------------------------------------------------------
def test_diagrams_are_kg_export_diagram(web):
    require(shutil.which("dot") is not None and shutil.which("node") is not None, "Graphviz and node are needed")
    svg = ok(web.get(f"{API}/diagram", params={"module": "core"}), "image/svg+xml").text
    assert 'id="band.plasma_membrane"' in svg and ">ANKH<" in svg
    caption = ok(web.get(f"{API}/diagram", params={"module": "core", "format": "caption"}), "text/markdown").text
    assert caption.startswith("**kg: core module.**") and "\n1. " in caption and "PMID:" in caption
    focus = ok(web.get(f"{API}/diagram", params={"focus": "ANKH", "show": "variant"}), "image/svg+xml").text
    assert "ANKH p.P5L" in focus
    assert "unknown module 'nosuch'" in error(web.get(f"{API}/diagram", params={"module": "nosuch"}), 400)["error"]
    error(web.get(f"{API}/diagram", params={"focus": "NOSUCHGENE"}), 404)
    error(web.get(f"{API}/diagram", params={"module": "core", "width": "wide"}), 400)
    error(web.get(f"{API}/diagram", params={"module": "core", "hide": "genez"}), 400)
    error(web.get(f"{API}/diagram", params={"module": "core", "format": "gif"}), 422)
    error(web.get(f"{API}/diagram", params={"focus": "ANKH", "depth": 4}), 422)


def test_view_and_offline_export_carry_the_selection(web):
    view = ok(web.get(f"{API}/view", params={"module": "core"}))
    labels = {n["data"]["name"] for n in view["elements"]["nodes"] if n["data"]["kind"] == "entity"}
    assert {"ANKH", "ENPP1", "PPi"} <= labels
    assert {g["title"] for g in view["legend"]["glyphs"]} >= {"gene / protein", "small molecule"}
    page = ok(web.get(f"{API}/export/html", params={"focus": "ANKH"}), "text/html")
    assert page.headers["content-disposition"] == 'attachment; filename="kg.html"'
    assert "<script src=" not in page.text and "kg: ANKH and neighbours (depth 1)" in page.text


# ---- SPARQL ------------------------------------------------------------------------------------------------------
def test_sparql_is_read_only_and_bounded(web):
    query = "SELECT ?label WHERE { HGNC:15492 rdfs:label ?label }"
    body = ok(web.get(f"{API}/sparql", params={"query": query}), "application/sparql-results+json").json()
    assert body["results"]["bindings"][0]["label"]["value"] == "ANKH"
    posted = web.post(f"{API}/sparql", data={"query": query}, headers={"accept": "text/csv"})
    assert posted.status_code == 200 and posted.text.splitlines() == ["label", "ANKH"]
    assert "read-only" in error(web.get(f"{API}/sparql", params={"query": "INSERT DATA { <a:b> <a:c> 1 }"}),
                                403)["error"]
    assert "syntax" in error(web.get(f"{API}/sparql", params={"query": "SELEKT nothing"}), 400)["error"]
    federated = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert "SERVICE" in error(web.get(f"{API}/sparql", params={"query": federated}), 400)["error"]
    error(web.get(f"{API}/sparql"), 422)


def test_sparql_results_over_the_limit_are_refused(curated_build):
    from kg.serving.limits import Limits

    with client(curated_build, limits=Limits(workers=1, max_results=3), warm=False) as small:
        body = error(small.get(f"{API}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}), 422)
        assert "more than 3 results" in body["error"]


# ---- safety ------------------------------------------------------------------------------------------------------
def test_unknown_routes_methods_and_hosts_are_json_errors(web):
    assert error(web.get(f"{API}/nosuch"), 404)["error"] == "Not Found"
    error(web.delete(f"{API}/predict"), 405)
    body = error(web.get(f"{API}/info", headers={"host": "evil.example"}), 403)
    assert "does not answer for Host 'evil.example'" in body["error"]
    error(web.get("/static/../../pyproject.toml"), 404)
    error(web.get("/static/nosuch.js"), 404)


def test_request_bodies_are_bounded(curated_build):
    from kg.serving.limits import Limits

    with client(curated_build, limits=Limits(workers=1, max_request_bytes=2048), warm=False) as small:
        big = "cases: []\n" + "# padding\n" * 400
        body = error(small.post(f"{API}/check", files={"cases": ("big.yaml", big.encode(), "text/plain")}), 413)
        assert "at most 2048 bytes" in body["error"]
        chunks = (b"x" * 1024 for _ in range(4))  # no Content-Length: counted as it streams
        error(small.post(f"{API}/predict", content=chunks, headers={"content-type": "application/json"}), 413)


def test_a_computation_past_the_time_limit_is_stopped(curated_build):
    from kg.serving.limits import Limits

    with client(curated_build, limits=Limits(workers=1, timeout=0.05), warm=False) as hurried:
        body = error(hurried.get(f"{API}/diagram"), 503)  # the whole graph, laid out by ELK: far more than 50 ms
        assert body["reason"] == "timeout" and "time limit (0.05 s)" in body["error"]
        assert hurried.get(f"{API}/search?q=ankh").status_code == 200  # the app itself still answers


def test_unexpected_failures_answer_500_without_detail(web, monkeypatch):
    import kg.search

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("secret internals")

    monkeypatch.setattr(kg.search, "search", broken)
    body = error(web.get(f"{API}/search", params={"q": "ankh"}), 500)
    assert "secret internals" not in json.dumps(body) and "internal error" in body["error"]


def test_security_headers_and_no_cors_unless_configured(web, curated_build):
    response = web.get(f"{API}/info", headers={"origin": "https://elsewhere.example"})
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "access-control-allow-origin" not in response.headers
    with client(curated_build, cors_origins=("https://lab.example.org",), warm=False) as shared:
        allowed = shared.get(f"{API}/contexts", headers={"origin": "https://lab.example.org"})
        assert allowed.headers["access-control-allow-origin"] == "https://lab.example.org"
        other = shared.get(f"{API}/contexts", headers={"origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def test_no_credentials_reach_the_browser(curated_build, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-pw-41")
    monkeypatch.setenv("NEO4J_URI", "bolt://neo4j:s3cret-pw-41@localhost:7687")
    with client(curated_build, warm=False) as web:
        for path in ("/", "/openapi.json", f"{API}/view?module=core", f"{API}/info", "/static/page.js"):
            assert "s3cret-pw-41" not in web.get(path).text


# ---- the page, its files, the documentation ---------------------------------------------------------------------
def test_the_page_refers_to_its_served_files_and_embeds_the_core_module(web):
    page = ok(web.get("/"), "text/html").text
    assert '<script src="/static/page.js"></script>' in page and '<link rel="stylesheet"' in page
    data = json.loads(page.split('id="kg-data">', 1)[1].split("</script>", 1)[0])
    assert data["api"] == API and data["scope"] == {"module": "core"} and "core" in data["modules"]
    for name in ("page.js", "page.css", "cytoscape.min.js", "docs.js", "swagger-ui-bundle.js", "swagger-ui.css"):
        assert web.get(f"/static/{name}").status_code == 200, name
    assert web.get("/favicon.ico").status_code == 204


def test_openapi_documents_every_route(web):
    spec = ok(web.get("/openapi.json"))
    paths = set(spec["paths"])
    for route in ("search", "resolve", "contexts", "cards/{name}", "entities/{name}", "edges/{edge_id}",
                  "evidence/{evidence_id}", "publications/{source}", "info", "queries",
                  "queries/{name}", "predict", "predict/plot", "screen", "check", "diagram", "view", "export/html",
                  "sparql"):
        assert f"{API}/{route}" in paths, route
    assert "404" in spec["paths"][f"{API}/entities/{{name}}"]["get"]["responses"]
    docs = ok(web.get("/docs"), "text/html").text
    assert "/static/swagger-ui-bundle.js" in docs and "/openapi.json" not in docs  # docs.js names it
