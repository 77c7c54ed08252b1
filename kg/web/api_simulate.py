"""Routes that run the simulator: predict (and its plot), screen, check. The same JSON as `kg predict`,
`kg screen` and `kg check` with `--format json`, computed by the same functions in a killable worker."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from kg.errors import InputError
from kg.web.common import ERRORS, MAX_ITEMS, MAX_TEXT, bounded, optional_text, respond, state
from kg.web.state import AppState

router = APIRouter(tags=["simulate"], responses=ERRORS)
State = Annotated[AppState, Depends(state)]
Texts = Annotated[list[str] | None, Query(max_length=MAX_ITEMS)]
MAX_ENSEMBLE = 1000  # parameter draws in one request (about 1-2 s on the body model; the CLI allows 100,000)
Ensemble = Annotated[int, Query(ge=0, le=MAX_ENSEMBLE, description="Also solve over N seeded parameter draws "
                                "(kg predict --ensemble N): fold_interval, fold_median, probability per kinetic "
                                "readout. 0: one solve at the nominal parameters.")]
Seed = Annotated[int, Query(ge=0, le=2**63 - 1, description="Seed of the parameter draws (kg predict --seed).")]
Threshold = Annotated[float, Query(gt=0.5, le=1.0, description="With an ensemble: the share of draws a direction "
                                                               "needs (kg predict --threshold).")]
CASES_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


class PredictRequest(BaseModel):
    """A prediction: what `kg predict PERTURBATIONS --context C --hypothesis H --readout R` takes."""

    perturbations: list[str] = Field(min_length=1, max_length=MAX_ITEMS,
                                     examples=[["ENPP1=ko"], ["ANKH:p.P5L"], ["ENPP1=0.5", "SBI-425"]],
                                     description="NAME=EFFECT (ko, lof, gof, up, down or a number), NAME (= up), "
                                                 "GENE:VARIANT or GENE:VARIANT=up.")
    context: str | None = Field(None, max_length=MAX_TEXT, examples=["plasma"])
    hypotheses: list[str] = Field(default_factory=list, max_length=MAX_ITEMS,
                                  description="Contested claims to switch on ('ANKH transports PPi', an edge id, "
                                              "or 'all').")
    readouts: list[str] = Field(default_factory=list, max_length=MAX_ITEMS,
                                description="Only these readouts (default: every entity).")
    ensemble: int = Field(0, ge=0, le=MAX_ENSEMBLE, description="Parameter draws (kg predict --ensemble N).")
    seed: int = Field(1, ge=0, le=2**63 - 1, description="Seed of the draws (kg predict --seed).")
    threshold: float = Field(0.8, gt=0.5, le=1.0, description="Share of draws a direction needs (--threshold).")


def _prediction(perturbations: list[str] | None, context: str | None, hypotheses: list[str] | None,
                readouts: list[str] | None, ensemble: int = 0, seed: int = 1,
                threshold: float = 0.8) -> dict[str, Any]:
    return {"perturbations": bounded(perturbations, "perturbation", required=True),
            "context": optional_text(context, "context"), "hypotheses": bounded(hypotheses, "hypothesis"),
            "readouts": bounded(readouts, "readout"), "ensemble": ensemble, "seed": seed, "threshold": threshold}


@router.get("/predict", summary="Predict what perturbations do (kg predict --format json)")
def predict_get(app: State,
                perturbation: Annotated[list[str], Query(max_length=MAX_ITEMS, examples=["ENPP1=ko"],
                                                         description="Repeat for several.")],
                context: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
                hypothesis: Texts = None, readout: Texts = None, ensemble: Ensemble = 0, seed: Seed = 1,
                threshold: Threshold = 0.8) -> Response:
    """Readouts for every entity (or the `readout`s asked for): direction, fold change, baseline and perturbed
    amounts where the kinetic layer gives them, confidence, layer, and the explanation (supporting and opposing
    paths with their evidence); with `ensemble`, each kinetic readout's interval and probabilities over the
    parameter draws. A GET, so that a prediction has a permalink."""
    return respond(app.run("predict", **_prediction(perturbation, context, hypothesis, readout, ensemble, seed,
                                                      threshold)))


@router.post("/predict", summary="Predict what perturbations do (JSON body)")
def predict_post(app: State, body: PredictRequest) -> Response:
    """As GET, with a JSON body."""
    return respond(app.run("predict", **_prediction(body.perturbations, body.context, body.hypotheses,
                                                      body.readouts, body.ensemble, body.seed, body.threshold)))


@router.get("/predict/plot", summary="A prediction's changed readouts as a chart (kg predict --plot)",
            response_class=Response, responses={200: {"content": {"image/svg+xml": {}, "image/png": {},
                                                                 "application/pdf": {}}}})
def predict_plot(app: State, perturbation: Annotated[list[str], Query(max_length=MAX_ITEMS)],
                 context: Annotated[str | None, Query(max_length=MAX_TEXT)] = None, hypothesis: Texts = None,
                 readout: Texts = None, ensemble: Ensemble = 0, seed: Seed = 1, threshold: Threshold = 0.8,
                 format: Annotated[str, Query(pattern="^(svg|png|pdf)$")] = "svg") -> Response:
    """The chart `kg predict --plot` draws; with `ensemble`, each kinetic readout's interval as an error bar."""
    return respond(app.run("plot", fmt=format, **_prediction(perturbation, context, hypothesis, readout, ensemble,
                                                               seed, threshold)))


@router.get("/screen", summary="Rank single (or paired) perturbations by their effect (kg screen)")
def screen(app: State, context: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
           effect: Annotated[str, Query(pattern="^(ko|lof|gof|up|down)$")] = "ko", pairs: bool = False,
           readout: Annotated[str, Query(min_length=1, max_length=MAX_TEXT)] = "PPi",
           top: Annotated[int | None, Query(ge=1, le=10_000)] = None, hypothesis: Texts = None) -> Response:
    """Every candidate (genes for ko/lof/gof/down; also drugs, conditions and molecules for up) ranked by its
    effect on `readout`; with `pairs`, every pair too, with its interaction."""
    return respond(app.run("screen", context=optional_text(context, "context"), effect=effect, pairs=pairs,
                           readout=readout, hypotheses=bounded(hypothesis, "hypothesis"), top=top))


@router.post("/check", summary="Score predictions against an uploaded cases file (kg check --format json)")
async def check(app: State,
                cases: Annotated[UploadFile, File(description="A cases YAML file (the format of "
                                                              "shared/validation/public-cases.yaml).")],
                hypothesis: Annotated[list[str] | None, Form(max_length=MAX_ITEMS)] = None,
                skip_unknown: Annotated[bool, Form()] = False) -> Response:
    """Each expectation checked, with accuracy and coverage overall, by area and by context. A file with
    errors is refused (422) with every error's line and field, as `kg check` lists them. The body is bounded
    by the server's request limit."""
    content = await cases.read()
    name = "".join(ch if ch in CASES_NAME_CHARS else "_" for ch in (cases.filename or "cases.yaml"))[-100:]
    if not name.endswith((".yaml", ".yml")):
        raise InputError(f"the cases file must be YAML (.yaml or .yml), not '{cases.filename}'")
    outcome = await run_in_threadpool(app.run, "check", name=name, content=content,
                                      hypotheses=bounded(hypothesis, "hypothesis"), skip_unknown=skip_unknown)
    return respond(outcome)
