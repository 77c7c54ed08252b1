"""`kg export sbml | sbml-qual | petab`: the simulator's model in the field's formats (kg.export.sbml,
.sbml_qual, .petab). Each reads the build through the fast path (kg.simulate.lite, with the model cache), writes
atomically and exits 2 on bad input."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.core import build_dir_option
from kg.cli.predict import _graph, context_option, hypothesis_option
from kg.cli.quant import param_option


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


@click.command("petab")
@click.argument("folder", type=click.Path(path_type=Path))
@click.argument("observations", type=click.Path(path_type=Path))
@context_option
@hypothesis_option
@param_option
@build_dir_option
def export_petab(folder: Path, observations: Path, context: str | None, hypotheses: tuple[str, ...],
                 params: tuple[str, ...], build_dir: Path | None) -> None:
    """The fitting problem of OBSERVATIONS (kg fit's table) in PEtab v1 in FOLDER: SBML, condition, measurement,
    observable and parameter tables and problem.yaml, checked by the petab linter."""
    from kg.export.petab import write
    from kg.simulate.fit.observations import load
    from kg.simulate.predict import Simulator

    sim = Simulator(_graph(build_dir), context, list(hypotheses))
    rows = load(observations, sim)
    for path in write(sim, rows, folder, list(params)):
        click.echo(f"wrote {path}", err=True)
    click.echo("petab linter: no errors", err=True)


@click.command("sbml-qual")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="The SBML-qual file to write.")
@context_option
@hypothesis_option
@build_dir_option
def export_sbml_qual(output: Path, context: str | None, hypotheses: tuple[str, ...], build_dir: Path | None) -> None:
    """The signed layer as an SBML-qual logical model (GINsim, MaBoSS, CellCollective), valid under libsbml."""
    from kg.export.sbml_qual import write

    warnings = write(_graph(build_dir), output, context=context, hypotheses=hypotheses)
    click.echo(f"wrote {output} (libsbml: 0 errors, {warnings} warnings)", err=True)
