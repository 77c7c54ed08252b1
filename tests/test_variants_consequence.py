"""kg.variants.consequence and rules: every consequence class read from the HGVS itself, and every class a declared,
cited rule."""

from __future__ import annotations

import pytest

from kg.variants.consequence import classify
from kg.variants.notation import parse_change
from kg.variants.rules import EFFECT_KINDS, rules

CASES = [
    ("p.0", "transcript_ablation", None),
    ("c.-100_*100del", "transcript_ablation", None),
    ("p.Trp23*", "stop_gained", (23, 23)),
    ("p.R187X", "stop_gained", (187, 187)),
    ("p.Arg12delinsGlyTer", "stop_gained", (12, 12)),
    ("p.Ser375fs", "frameshift_variant", (375, 375)),
    ("c.1015delC", "frameshift_variant", (339, 339)),
    ("c.100dup", "frameshift_variant", (34, 34)),
    ("c.1234+1G>A", "splice_donor_variant", None),
    ("c.1234+2T>C", "splice_donor_variant", None),
    ("c.1234-2A>G", "splice_acceptor_variant", None),
    ("p.Met1?", "start_lost", (1, 1)),
    ("p.M1V", "start_lost", (1, 1)),
    ("c.1A>G", "start_lost", (1, 1)),
    ("c.2T>C", "start_lost", (1, 1)),
    ("c.-5_10del", "start_lost", (1, 4)),
    ("p.Pro5=", "synonymous_variant", (5, 5)),
    ("p.Pro5Pro", "synonymous_variant", (5, 5)),
    ("p.(=)", "synonymous_variant", None),
    ("p.Arg187Gln", "missense_variant", (187, 187)),
    ("p.Phe377del", "inframe_deletion", (377, 377)),
    ("c.100_102del", "inframe_deletion", (34, 34)),
    ("p.Gly10dup", "inframe_insertion", (10, 10)),
    ("p.Arg12_Ala13insGly", "inframe_insertion", (12, 13)),
    ("c.100_101insGGA", "inframe_insertion", (34, 34)),
    ("p.Arg12delinsGlyLys", "protein_altering_variant", (12, 12)),
    ("p.*493Glnext*10", "stop_lost", (493, 493)),
    ("p.Met1ext-5", "start_extension", (1, 1)),
    ("c.14C>T", "coding_sequence_variant", (5, 5)),
    ("p.?", "protein_unknown", None),
    ("c.1234+5G>A", "splice_region_variant", None),
    ("c.1234-8C>T", "splice_region_variant", None),
    ("c.1234+50G>A", "intron_variant", None),
    ("c.-11C>T", "5_prime_UTR_variant", None),
    ("c.*10A>G", "3_prime_UTR_variant", None),
    ("NC_000005.10:g.14871567G>A", "unplaced_variant", None),
]


@pytest.mark.parametrize(("text", "term", "where"), CASES, ids=[c[0] for c in CASES])
def test_consequence_class_from_the_hgvs(text, term, where):
    cons = classify(parse_change(text))
    assert cons.term == term
    if where is not None:
        assert (cons.first, cons.last) == where


def test_every_class_the_classifier_gives_is_a_declared_rule():
    declared = set(rules().consequences)
    assert {term for _t, term, _w in CASES} <= declared
    assert declared <= {term for _t, term, _w in CASES}, "each declared class is reached by a test above"


def test_every_rule_is_cited_and_unknown_rules_list_their_scenarios():
    for term, rule in rules().consequences.items():
        assert rule.effect in EFFECT_KINDS
        assert rule.citations and all(c.source.startswith(("PMID:", "DOI:")) for c in rule.citations), term
        assert bool(rule.scenarios) == (rule.effect == "unknown"), term
        if rule.effect == "loss_of_function":
            assert rule.effects, f"{term}: a loss says what is lost"
    assert set(rules().scenarios) == {"loss", "gain", "none"}


def test_truncations_are_marked_for_the_nonsense_mediated_decay_rule():
    truncating = {t for t, r in rules().consequences.items() if r.truncating}
    assert truncating == {"stop_gained", "frameshift_variant"}
