"""`kg predict --plot`: the changed readouts by layer, deterministic bytes, intervals where an ensemble gives
them, real text, bad file names refused, and no matplotlib on the plain `kg predict` path."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.export.plot import render, rows


def prediction(**extra_fields):
    readout = {"id": "CHEBI:29888", "label": "PPi", "direction": "decrease", "fold_change": 0.08, "layer": "kinetic"}
    return {"context": {"name": "plasma"}, "perturbations": [{"input": "ENPP1=ko"}], "readouts": [
        {"id": "HGNC:3356", "label": "ENPP1", "direction": "decrease", "fold_change": 0.0, "layer": "input"},
        {**readout, **extra_fields},
        {"id": "CHEBI:15422", "label": "ATP", "direction": "increase", "fold_change": 4.5, "layer": "kinetic"},
        {"id": "CHEBI:16027", "label": "AMP", "direction": "decrease", "fold_change": 0.0, "layer": "kinetic"},
        {"id": "KG:inflammation", "label": "inflammation", "direction": "decrease", "fold_change": None,
         "layer": "signed"},
        {"id": "CHEBI:18367", "label": "Pi", "direction": "unchanged", "fold_change": 1.0, "layer": "kinetic"},
    ]}


def test_rows_keep_what_changed_by_layer_sorted_and_leave_inputs_out():
    kinetic, signed = rows(prediction())
    assert [r["label"] for r in kinetic] == ["ATP", "PPi", "AMP"]
    assert kinetic[1]["log2"] == pytest.approx(-3.644, abs=1e-3) and kinetic[1]["interval"] is None
    assert kinetic[2]["log2"] == -10.0  # a complete loss sits at the axis edge
    assert [(r["label"], r["log2"]) for r in signed] == [("inflammation", -1.0)]


def test_an_ensemble_draws_the_median_and_its_interval():
    kinetic, _ = rows(prediction(fold_median=0.1, fold_interval=[0.05, 0.2]))
    ppi = next(r for r in kinetic if r["label"] == "PPi")
    assert ppi["log2"] == pytest.approx(-3.3219, abs=1e-3)
    assert ppi["interval"] == (pytest.approx(-4.3219, abs=1e-3), pytest.approx(-2.3219, abs=1e-3))
    plain, with_interval = render(prediction(), "svg"), render(prediction(fold_median=0.1, fold_interval=[0.05, 0.2]),
                                                                   "svg")
    assert plain != with_interval
    assert with_interval.count(b'id="patch_') == plain.count(b'id="patch_') + 1  # PPi's bar to the median


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_the_same_prediction_gives_the_same_bytes(fmt):
    assert render(prediction(), fmt) == render(prediction(), fmt)
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[fmt]
    assert render(prediction(), fmt).startswith(magic)


def test_labels_are_text_in_svg_and_pdf():
    svg = render(prediction(), "svg").decode()
    for label in ("ATP", "PPi", "inflammation", "Predicted response to ENPP1=ko in plasma"):
        assert re.search(rf">\s*{re.escape(label)}\s*<", svg), label
    assert b"/FontFile2" in render(prediction(), "pdf")


def test_the_cli_writes_the_plot_and_refuses_other_suffixes(tmp_path, monkeypatch):
    from kg.build import build
    from kg.paths import loaders_dir

    out = tmp_path / "build"
    build([loaders_dir()], out)
    plot = tmp_path / "enpp1.svg"
    result = CliRunner().invoke(main, ["predict", "ENPP1=ko", "--build-dir", str(out), "--plot", str(plot),
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    assert ">PPi<" in plot.read_text(encoding="utf-8") or "PPi" in plot.read_text(encoding="utf-8")
    spread = tmp_path / "spread.svg"
    result = CliRunner().invoke(main, ["predict", "ENPP1=ko", "--build-dir", str(out), "--plot", str(spread),
                                       "--ensemble", "20", "--format", "json"])
    assert result.exit_code == 0, result.output
    kinetic, _ = rows(json.loads(result.stdout))
    assert kinetic and all(r["interval"] is not None for r in kinetic)
    patches = spread.read_text(encoding="utf-8").count('id="patch_')
    assert patches > plot.read_text(encoding="utf-8").count('id="patch_')  # bars with error bars
    bad = CliRunner().invoke(main, ["predict", "ENPP1=ko", "--build-dir", str(out), "--plot", str(tmp_path / "x.gif")])
    assert bad.exit_code == 2 and "must end in .png, .svg or .pdf" in bad.output
    assert not (tmp_path / "x.gif").exists()


def test_plain_predict_never_imports_matplotlib():
    code = ("import sys; from kg.cli import main; import kg.cli.predict; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
