"""The compiled model: the expression language, symbolic derivatives, the IR's checks and JSON round trip, and the
generated code (floats and numpy arrays alike, the analytic Jacobian against finite differences)."""

from __future__ import annotations

import math
import random

import pytest

from kg.errors import KgError
from kg.simulate import Simulator
from kg.simulate.model.compile import compile_model
from kg.simulate.model.derive import derivative
from kg.simulate.model.expr import fmt, parse, symbols, to_python
from kg.simulate.model.ir import SPECIES, Compartment, Flux, Model, Rule, State
from kg.simulate.model.regulate import order_rules


@pytest.mark.parametrize("text", ["exp(x)", "x.real", "'a' + x", "x if y else z", "[x]", "x < y", "x % 2"])
def test_the_expression_language_refuses_what_sbml_and_python_read_differently(text):
    with pytest.raises(KgError, match=r"model expression|outside the expression language|non-numeric"):
        parse(text)


def test_symbols_powers_and_numbers_round_trip():
    assert symbols("a * (b + c) ^ n / 2.5") == {"a", "b", "c", "n"}
    assert to_python("a ^ 2") == "a ** 2"
    assert float(fmt(0.1 + 0.2)) == 0.1 + 0.2


@pytest.mark.parametrize("text", [
    "a * x + b", "x / (k + x)", "v * x ^ n / (k ^ n + x ^ n)", "(1 + (f - 1) * r ^ n / (k ^ n + r ^ n)) / 3",
    "-x * y", "x * x * x - 2 / x", "(x - y) * (x + 2 * y)", "+x ^ 0.5",
])
def test_symbolic_derivatives_agree_with_finite_differences(text):
    env = {"a": 1.3, "b": -0.4, "k": 2.0, "v": 3.0, "n": 1.7, "f": 2.5, "r": 0.8, "x": 1.1, "y": 0.6}
    code = compile(to_python(text), "<expr>", "eval")
    for var in ("x", "y"):
        d = derivative(text, lambda name, var=var: "1.0" if name == var else None)
        h = 1e-6
        up, down = dict(env), dict(env)
        up[var] += h
        down[var] -= h
        fd = (eval(code, {}, up) - eval(code, {}, down)) / (2 * h)
        got = 0.0 if d is None else eval(d, {}, env)
        assert got == pytest.approx(fd, rel=1e-6, abs=1e-8), (text, var, d)


def test_an_exponent_that_depends_on_the_variable_cannot_be_differentiated():
    with pytest.raises(KgError, match="exponent that depends on a state"):
        derivative("2 ^ x", lambda name: "1.0" if name == "x" else None)


def tiny_model() -> Model:
    m = Model(context="t", primary="c")
    m.param("V__c", 1.0, "L", "assumed", note="unit volume")
    m.param("k", 2.0, "1/h", "assumed", note="test")
    m.param("src", 4.0, "uM/h", "assumed", note="test")
    m.compartments["c"] = Compartment("c", "c", None, "V__c")
    m.states.append(State("A__c", "X:A", "c", SPECIES, "uM"))
    m.rules.append(Rule("r__c", "k * A__c", "rule", "X:A", "c"))
    m.fluxes += [Flux("in__c", "src", (("A__c", 1.0),), "source", "c"),
                 Flux("out__c", "V__c * r__c", (("A__c", -1.0),), "clearance", "c")]
    m.readouts[("X:A", "c")] = "A__c"
    return m


def test_the_ir_refuses_a_symbol_defined_twice_an_undefined_one_and_a_cycle():
    m = tiny_model()
    m.rules.append(Rule("k", "2", "rule"))
    with pytest.raises(KgError, match="'k' is both a parameter and a rule"):
        m.validate()
    m = tiny_model()
    m.fluxes.append(Flux("bad", "nowhere * A__c", (("A__c", 1.0),), "source", "c"))
    with pytest.raises(KgError, match="flux 'bad' reads undefined"):
        m.validate()
    with pytest.raises(KgError, match="assignment rules form a cycle: a -> b -> a"):
        order_rules([Rule("a", "b + 1", "rule"), Rule("b", "a * 2", "rule")])
    with pytest.raises(KgError, match="defined twice"):
        tiny_model().param("k", 1.0, "1", "assumed")


def test_the_ir_round_trips_through_json_and_dumps_as_text():
    m = tiny_model()
    assert Model.from_json(m.to_json()) == m
    text = m.to_text()
    assert "flux out__c [clearance] = V__c * r__c -> -1 A__c" in text and "param k = 2 1/h [assumed] test" in text


def test_generated_code_runs_on_floats_and_on_numpy_arrays_alike():
    np = pytest.importorskip("numpy")
    cm = compile_model(tiny_model())
    assert cm.rhs([1.0], cm.params()) == pytest.approx([4.0 - 2.0])
    xs = [np.array([1.0, 2.0, 3.0])]
    ps = [np.array([1.0, 1.0, 1.0]), np.array([2.0, 1.0, 0.5]), np.array([4.0, 4.0, 4.0])]
    assert list(cm.rhs(xs, ps)[0]) == pytest.approx([2.0, 2.0, 2.5])
    assert cm.jac([1.0], cm.params()) == pytest.approx([-2.0])


@pytest.mark.parametrize("context", ["plasma", "hek293", "chondrocyte"])
def test_the_analytic_jacobian_of_the_curated_models_matches_finite_differences(curated_graph, context):
    kin = Simulator(curated_graph, context).network().kin
    cm, p = kin.cm, kin.p0
    rng = random.Random(3)
    x = [v * rng.uniform(0.7, 1.3) for v in kin.base.x]
    values = dict(zip(cm.pattern, cm.jac(x, p), strict=True))
    f0 = cm.rhs(x, p)
    for j in range(len(x)):
        h = 1e-6 * max(abs(x[j]), 1e-3)
        xh = list(x)
        xh[j] += h
        fh = cm.rhs(xh, p)
        for i in range(len(x)):
            fd = (fh[i] - f0[i]) / h
            got = values.get((i, j), 0.0)
            scale = max(abs(fd), abs(got), 1e-6 * max(1.0, max(abs(v) for v in f0)))
            assert abs(got - fd) <= 1e-3 * scale, (cm.model.states[i].name, cm.model.states[j].name, got, fd)
            assert (i, j) in values or fd == 0.0 or math.isclose(fd, 0.0, abs_tol=1e-9)
