"""The read policy's decisions on plans (the server-side behaviour is tested in test_neo4j_cypher.py): plugin
functions, which no server here has, are refused unless allow-listed, however the call is spelt."""

from __future__ import annotations

import pytest

from kg.neo4j.read_policy import Operator, functions_used, procedure_name, refusal

READ = [Operator("ProduceResults"), Operator("Projection", "x AS x")]


def test_a_plain_read_passes():
    assert refusal("r", READ, ["RETURN 1 AS x"]) is None


@pytest.mark.parametrize("text", ["RETURN apoc.util.evil(1) AS x", "RETURN APOC.UTIL.EVIL (1) AS x",
                                  "RETURN `apoc`.`util`.`evil`(1) AS x", "RETURN apoc . util . evil(1) AS x"])
def test_a_plugin_function_off_the_list_is_refused(text):
    why = refusal("r", READ, [text], user_functions=["apoc.util.evil", "apoc.text.join"])
    assert why is not None and "apoc.util.evil" in why and "--write" in why


def test_allow_listed_plugin_functions_and_names_in_other_words_pass():
    functions = ["apoc.util.evil", "apoc.text.join"]
    assert refusal("r", READ, ["RETURN apoc.text.join(['a'], ',') AS x"], functions) is None
    assert functions_used(["MATCH (n) WHERE n.util = 1 RETURN n.evil AS e"], functions) == []


def test_procedures_are_named_from_the_plan():
    assert procedure_name("db.labels() :: (label :: STRING)") == "db.labels"
    call = [*READ, Operator("ProcedureCall", "db.stats.collect($autostring_0) :: (section :: STRING)")]
    assert "db.stats.collect" in refusal("r", call)
