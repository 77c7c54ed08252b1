"""kg.serving's small pieces, shared by every endpoint: binds, Host headers, limits, the worker pool."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.rdf.federation import check_services, endpoint_host, mentions_service, service_endpoints
from kg.serving.hosts import allowed_hosts, check_bind, host_allowed, host_name, is_loopback
from kg.serving.limits import Limits


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST"])
def test_loopback_binds_need_nothing(host):
    assert is_loopback(host) and check_bind(host, allow_remote=False) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.1", "192.168.1.10"])
def test_other_binds_need_the_flag_and_get_a_warning(host):
    with pytest.raises(InputError, match="--allow-remote"):
        check_bind(host, allow_remote=False)
    assert "anyone who can reach" in check_bind(host, allow_remote=True)


def test_host_headers():
    allowed = allowed_hosts("127.0.0.1", ["kg.example.org"])
    assert "0.0.0.0" not in allowed_hosts("0.0.0.0")
    for header in ("localhost", "localhost:7878", "127.0.0.1:80", "[::1]:7878", "KG.example.org"):
        assert host_allowed(header, allowed), header
    for header in (None, "", "evil.example", "localhost.evil.example", "localhost:80:80", "[::1", "[::1]x",
                   "localhost:port", "kg.example.org.evil"):
        assert not host_allowed(header, allowed), header
    assert host_name("[::1]:7878") == "::1"


def test_limits_are_validated():
    with pytest.raises(ValueError, match="positive"):
        Limits(timeout=0)
    with pytest.raises(ValueError, match="256"):
        Limits(memory_mb=16)


@pytest.mark.parametrize("text", ["SELECT * WHERE { SERVICE <http://x/> {} }", "select * { \\u0053ERVICE <x> {} }",
                                  "SELECT * { sErViCe ?e {} }"])
def test_the_lexical_fallback_sees_service(text):
    assert mentions_service(text)


@pytest.mark.parametrize("text", ['SELECT * WHERE { ?s rdfs:label "SERVICE" }', "SELECT * { ?s <urn:SERVICE> ?o }",
                                  "# SERVICE in a comment\nSELECT * { ?s ?p ?o }", "SELECT ?service { ?service ?p ?o }",
                                  "SELECT * { ?s ex:SERVICE ?o }"])
def test_the_lexical_fallback_ignores_strings_iris_comments_and_names(text):
    assert not mentions_service(text)


def test_a_query_rdflib_cannot_parse_is_refused_only_if_it_mentions_service():
    unparsable = "SELECT * WHERE { ?s ?p ?o . LATERAL { SERVICE <http://127.0.0.1:9/> { ?s ?p ?x } } }"
    with pytest.raises(InputError, match="cannot check"):
        check_services(unparsable, {})
    check_services("SELECT * WHERE { ?s ?p ?o . LATERAL { ?s ?p ?x } }", {})  # no SERVICE: Oxigraph decides


def test_endpoint_hosts_are_parsed_strictly():
    assert endpoint_host("http://Example.org:8080/sparql") == ("example.org", "8080")
    for iri in ("http://user@127.0.0.1/", "ftp://example.org/", "http://example.org\\@127.0.0.1/", "file:///etc"):
        assert endpoint_host(iri) is None
    with pytest.raises(InputError, match="not allowed"):
        check_services("SELECT * { SERVICE <http://a@example.org/> { ?s ?p ?o } }", {}, ["example.org"])


def test_queries_rdflib_rejects_fall_back_to_the_lexical_check():
    check_services("SELECT * { ?s unknownprefix:x ?o }", {})  # rdflib: bare Exception; Oxigraph reports it later
    with pytest.raises(InputError, match="cannot check"):
        check_services("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s unknownprefix:x ?o } }", {})


TOKENS = ["SELECT", "*", "WHERE", "{", "}", "?s", "?p", "?o", "SERVICE", "SILENT", "<http://127.0.0.1:9/>", "ex:a",
          "PREFIX ex: <http://x/>", '"lit"', "FILTER", "EXISTS", "(", ")", ".", "OPTIONAL", "\\u0053ERVICE", "#", "\n",
          "VALUES", "BIND", "AS", "ASK", "CONSTRUCT", "UNION", "MINUS", "GRAPH", ";", ","]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=25))
def test_the_service_check_never_crashes_and_never_lets_a_service_through(tokens):
    """Whatever the text: either refused (InputError) or free of SERVICE as Oxigraph would read it."""
    text = " ".join(tokens)
    try:
        check_services(text, {})
    except InputError:
        return
    assert not mentions_service(text) or service_endpoints(text, {}) == []
