"""The web application: upload pages, result and comparison pages, EUC and deadlines pages, and the JSON API.

Pages render the project's Jinja2 templates (templates/web/); the API returns exactly the JSON the CLI
prints. Engine work runs in a small thread pool under a time limit; request bodies are size-limited;
every error is a located message (HTTP 422), never a traceback.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, File as FormFile, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response

import engine
from engine import answers, jsonout
from engine.api import rulebook_for
from engine.diff import compare_results, diff_rulebooks
from engine.errors import MipsError, Problem
from engine.explain.content import explanation, explanation_data
from engine.explain.render import environment, render
from engine.locations import data_folder
from engine.result import Result
from engine.rulebook.registry import available_years
from engine.trace.views import tree_data
from engine.web import models
from engine.web.limits import BodyLimit, Limits, TooSlow, Worker, json_refusal
from engine.web.rulebook_files import rulebook_file
from engine.combine import Combined
from engine.web.uploads import Inputs, InputStore, Upload, counted, score_inputs

STATIC = "web/static"
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml"}
JSON = "application/json"


def create_app(limits: Limits | None = None) -> FastAPI:
    """The application, with its limits (defaults: 5 MiB per request, 20 seconds of engine work)."""
    limits = limits or Limits()
    app = FastAPI(title="MIPS rulebook engine", version=engine.__version__, docs_url=None, redoc_url=None,
                  description="Scores, explanations, year-over-year differences, automatic EUC and program "
                              "deadlines. Every response carries the same JSON as the `mips` command.")
    worker = Worker(limits)
    store = InputStore()

    def page(template: str, http_status: int = 200, **context: Any) -> HTMLResponse:
        html = environment().get_template(template).render(years=available_years(), limits=limits, **context)
        return HTMLResponse(html, status_code=http_status)

    def refuse(path: str, message: str) -> tuple[str, bytes]:
        if path.startswith("/api/"):
            return JSON, json_refusal(message)
        html = environment().get_template("web/error.html.j2").render(
            title="File too large", problems=[Problem("", None, None, "", message)], years=available_years())
        return "text/html; charset=utf-8", html.encode()

    app.add_middleware(BodyLimit, limits=limits, refuse=refuse)

    # ---- errors: located messages, never a traceback ----

    def problems_json(problems: list[Problem], status: int) -> Response:
        return Response(jsonout.dumps({"errors": [p.__dict__ for p in problems]}), status, media_type=JSON)

    @app.exception_handler(MipsError)
    async def mips_error(request: Request, exc: MipsError) -> Response:
        if request.url.path.startswith("/api/"):
            return problems_json(exc.problems, 422)
        return page("web/error.html.j2", 422, title="These files cannot be scored", problems=exc.problems)

    @app.exception_handler(TooSlow)
    async def too_slow(request: Request, exc: TooSlow) -> Response:
        problem = Problem("", None, None, "", str(exc))
        if request.url.path.startswith("/api/"):
            return problems_json([problem], 503)
        return page("web/error.html.j2", 503, title="This took too long", problems=[problem])

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [Problem("request", None, None, ".".join(str(p) for p in e["loc"] if p != "body"), e["msg"])
                    for e in exc.errors()]
        if request.url.path.startswith("/api/"):
            return problems_json(problems, 422)
        return page("web/error.html.j2", 422, title="The form is incomplete", problems=problems)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        problem = Problem("", None, None, "", f"internal error ({type(exc).__name__}); please report it with "
                                              "the files you sent")
        if request.url.path.startswith("/api/"):
            return problems_json([problem], 500)
        return page("web/error.html.j2", 500, title="Something went wrong", problems=[problem])

    # ---- pages ----

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index() -> HTMLResponse:
        return page("web/index.html.j2")

    @app.post("/score", include_in_schema=False)
    async def score_page(files: list[UploadFile] = FormFile(default=[]), case_text: str = Form(""),
                         profile_text: str = Form(""), year: str = Form("")) -> Response:
        uploads = [Upload(f.filename or "file", await f.read()) for f in files if f.filename]
        uploads += [Upload(name, text.encode()) for name, text in (("pasted.yaml", case_text),
                                                                   ("pasted-profile.yaml", profile_text))
                    if text.strip()]
        inputs = Inputs(tuple(uploads), _year(year))
        await worker.run(score_inputs, inputs)
        return RedirectResponse(f"/result/{store.add(inputs)}", status_code=303)

    def stored(token: str) -> Inputs:
        inputs = store.get(token)
        if inputs is None:
            raise MipsError("this result is no longer kept (the server keeps the most recent ones, in memory); "
                            "upload the files again")
        return inputs

    @app.get("/result/{token}", response_class=HTMLResponse, include_in_schema=False)
    async def result_page(token: str, show: int = 0) -> HTMLResponse:
        """A result's page; for several results of one clinician, the one that counts (or result `show`,
        numbered from 1) under the list of them all."""
        inputs = stored(token)
        scored = await worker.run(score_inputs, inputs)
        shown = _shown(scored, show)
        result = shown.result if shown else scored
        html = await worker.run(lambda: render(
            result, "web/result.html.j2", years=available_years(), limits=limits, token=token,
            x=explanation(result), trace_tree=tree_data(result.trace), file_names=[u.name for u in inputs.uploads],
            can_rescore=not any(u.is_submission for u in inputs.uploads), compare_years=_compare_years(result),
            combined=scored if isinstance(scored, Combined) else None, shown=shown))
        return HTMLResponse(html)

    @app.get("/result/{token}/compare", response_class=HTMLResponse, include_in_schema=False)
    async def compare_year(token: str, year: int) -> HTMLResponse:
        inputs = stored(token)
        old, new = await worker.run(_two, inputs, Inputs(inputs.uploads, year))
        return page("web/compare.html.j2", c=await worker.run(_compare, old, new), token=token)

    @app.post("/result/{token}/compare", include_in_schema=False)
    async def compare_files(token: str, files: list[UploadFile] = FormFile(default=[])) -> Response:
        stored(token)
        other = Inputs(tuple([Upload(f.filename or "file", await f.read()) for f in files if f.filename]))
        await worker.run(score_inputs, other)
        return RedirectResponse(f"/compare/{token}/{store.add(other)}", status_code=303)

    @app.get("/compare/{first}/{second}", response_class=HTMLResponse, include_in_schema=False)
    async def compare_page(first: str, second: str) -> HTMLResponse:
        a, b = await worker.run(_two, stored(first), stored(second))
        return page("web/compare.html.j2", c=await worker.run(_compare, a, b), token=first)

    @app.get("/euc", response_class=HTMLResponse, include_in_schema=False)
    async def euc_page(year: str = "", zip: str = "", state: str = "", county: str = "",
                       entity_type: str = "") -> HTMLResponse:
        query = {"year": year, "zip": zip, "state": state, "county": county, "entity_type": entity_type}
        if not year:
            return page("web/euc.html.j2", query=query, answer=None)
        answer = await worker.run(answers.euc, _year(year), zip or None, state or None, county or None,
                                  entity_type or None)
        return page("web/euc.html.j2", query=query, answer=answer)

    @app.get("/deadlines", response_class=HTMLResponse, include_in_schema=False)
    async def deadlines_page(on: str = "") -> HTMLResponse:
        answer = await worker.run(answers.deadlines, on or None)
        return page("web/deadlines.html.j2", on=on, status=answer["status"])

    @app.get("/rulebooks/{shown:path}", response_class=HTMLResponse, include_in_schema=False)
    async def rulebook_page(shown: str) -> HTMLResponse:
        path = rulebook_file(f"rulebooks/{shown}")
        if path is None:
            raise MipsError(f"rulebooks/{shown}: no such rulebook file")
        return page("web/rulebook_file.html.j2", shown=f"rulebooks/{shown}",
                    lines=path.read_text(encoding="utf-8").splitlines())

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        files = {p.name: p for p in (data_folder("templates") / STATIC).iterdir() if p.suffix in STATIC_TYPES}
        if name not in files:
            return Response("not found", 404, media_type="text/plain")
        return Response(files[name].read_bytes(), media_type=STATIC_TYPES[files[name].suffix],
                        headers={"cache-control": "max-age=3600"})

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    async def api_docs() -> HTMLResponse:
        return page("web/api.html.j2", spec=app.openapi())

    # ---- JSON API: the CLI's JSON ----

    errors = {422: {"model": models.Errors, "description": "Located problems in the files or the request"},
              413: {"model": models.Errors, "description": "Request larger than the limit"},
              503: {"model": models.Errors, "description": "The engine's work exceeded the time limit"}}

    @app.post("/api/score", response_model=models.ScoreResult | models.CombinedResult, responses=errors,
              tags=["scores"])
    async def api_score(request: models.ScoreRequest) -> Response:
        """Score a case, several cases of one clinician, or QPP JSON submissions with their profile: what
        `mips score --format json` prints (for several results, each of them and the one that counts)."""
        scored = await worker.run(score_inputs, _inputs(request.files, request.year))
        text = jsonout.dumps(scored.to_data()) if isinstance(scored, Combined) else scored.to_json()
        return Response(text, media_type=JSON)

    @app.post("/api/explain", response_model=models.Explanation | models.CombinedExplanation, responses=errors,
              tags=["scores"])
    async def api_explain(request: models.ScoreRequest) -> Response:
        """Explain a score: what `mips explain --format json` prints."""
        scored = await worker.run(score_inputs, _inputs(request.files, request.year))
        return Response(jsonout.dumps(explanation_data(scored)), media_type=JSON)

    @app.post("/api/diff", response_model=models.DiffResult, responses=errors, tags=["scores"])
    async def api_diff(request: models.DiffRequest) -> Response:
        """Rulebook changes between two years, and what they did to a case: what `mips diff --format json` prints."""
        return Response(jsonout.dumps(await worker.run(_diff, request)), media_type=JSON)

    @app.get("/api/euc", response_model=models.EucResult, responses=errors, tags=["program"])
    async def api_euc(year: int, zip: str | None = None, state: str | None = None, county: str | None = None,
                      entity_type: str | None = None) -> Response:
        """Automatic EUC coverage of a place: what `mips euc --format json` prints."""
        return Response(jsonout.dumps(await worker.run(answers.euc, year, zip, state, county, entity_type)),
                        media_type=JSON)

    @app.get("/api/deadlines", response_model=models.DeadlinesResult, responses=errors, tags=["program"])
    async def api_deadlines(on: str | None = None, year: list[int] | None = Query(None), soon_days: int = 30,
                            recent_days: int = 30) -> Response:
        """What is open, closing soon or just closed: what `mips deadlines --format json` prints."""
        data = await worker.run(answers.deadlines, on, tuple(year or ()), soon_days, recent_days)
        return Response(jsonout.dumps(data), media_type=JSON)

    return app


def _year(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise MipsError(f"year: '{text}' is not a performance year")
    return int(text)


def _inputs(files: list[models.File], year: int | None) -> Inputs:
    return Inputs(tuple(Upload(f.name, f.content.encode()) for f in files), year)


def _compare_years(result: Result) -> list[int]:
    """The other years whose rulebooks have the reporting option the result was scored under."""
    name = result.selection.name if result.selection else None
    return [year for year in available_years() if year != result.rulebook.year
            and (name is None or name in rulebook_for(str(year)).pathways)]


def _shown(scored: Result | Combined, show: int) -> Any:
    """The candidate of several results a page shows: number `show` (from 1), by default the one that counts."""
    if not isinstance(scored, Combined):
        if show > 1:
            raise MipsError(f"show={show}: these files give one result")
        return None
    if not 0 <= show <= len(scored.candidates):
        raise MipsError(f"show={show}: these files give results 1 to {len(scored.candidates)}")
    return scored.candidates[show - 1] if show else scored.counted


def _two(first: Inputs, second: Inputs) -> tuple[Result, Result]:
    """Two scored inputs (each its counted result), older performance year first."""
    results = sorted((counted(score_inputs(first)), counted(score_inputs(second))), key=lambda r: r.rulebook.year)
    return results[0], results[1]


def _compare(old: Result, new: Result) -> dict[str, Any]:
    changes = diff_rulebooks(old.rulebook, new.rulebook) if old.rulebook.sha256 != new.rulebook.sha256 else None
    return compare_results(old, new, changes)


def _diff(request: models.DiffRequest) -> dict[str, Any]:
    """The same data as `mips diff --format json` for the request's years and files."""
    if request.old_files and request.new_files:
        old, new = _two(_inputs(request.old_files, None), _inputs(request.new_files, None))
        changes = diff_rulebooks(old.rulebook, new.rulebook) if old.rulebook.sha256 != new.rulebook.sha256 else None
    elif request.old is not None and request.new is not None:
        changes = diff_rulebooks(rulebook_for(str(request.old)), rulebook_for(str(request.new)))
        if not request.files:
            return changes.to_data()
        old, new = (counted(score_inputs(_inputs(request.files, year))) for year in (request.old, request.new))
    else:
        raise MipsError("give old and new years (with files to score a case under both), or old_files and new_files")
    data: dict[str, Any] = {"case": compare_results(old, new, changes)}
    return (changes.to_data() | data) if request.all and changes is not None else data
