"""`kg export sbml | sbml-qual | petab`: the simulator's model in the field's formats (kg.export.sbml,
.sbml_qual, .petab). Each reads the build through the fast path (kg.simulate.lite, with the model cache), writes
atomically and exits 2 on bad input."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.core import build_dir_option
from kg.cli.predict import _graph, context_option, hypothesis_option


@click.command("sbml")
@click.argument("perturbations", nargs=-1)
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="The SBML file to write.")
@context_option
@hypothesis_option
@build_dir_option
def export_sbml(perturbations: tuple[str, ...], output: Path, context: str | None, hypotheses: tuple[str, ...],
                build_dir: Path | None) -> None:
    """The kinetic model as SBML Level 3 (units, SBO terms, identifiers.org annotations, parameters' sources),
    starting at the baseline with PERTURBATIONS applied: its steady state is the perturbed one."""
    from kg.export.sbml import write

    warnings = write(_graph(build_dir), output, context=context, perturbations=perturbations, hypotheses=hypotheses)
    click.echo(f"wrote {output} (libsbml: 0 errors, {warnings} warnings)", err=True)
