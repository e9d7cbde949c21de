"""The baseline of bench/api_bench.py: a bare FastAPI app with one POST endpoint that validates
an answer set with the product's own rules (``app.core.answers.validate_answers``, strict, as
POST /api/v1/score does) and echoes it back as JSON.

    uvicorn bench.bare_echo:app --workers 2 --host 127.0.0.1 --port 8001

No middleware, no dependency, no database, no scoring: what remains is uvicorn, FastAPI routing,
reading and parsing the JSON body, the validation and a JSON response. A body that is not a JSON
object answers 400, an invalid answer set 422 (the codes the product uses).
"""

from __future__ import annotations

import json

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from app.core.answers import InvalidAnswers, validate_answers

ECHO_PATH = "/echo"

app = FastAPI(title="bare echo (benchmark baseline)", docs_url=None, redoc_url=None)


@app.post(ECHO_PATH)
async def echo(request: Request) -> JSONResponse:
    try:
        body = json.loads(await request.body() or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        return JSONResponse({"detail": "Send a JSON object."}, status_code=400)
    try:
        answers = validate_answers(body)
    except InvalidAnswers as invalid:
        errors = [{"field": e.field, "code": e.code} for e in invalid.errors]
        return JSONResponse({"errors": errors}, status_code=422)
    return JSONResponse(answers.to_json())
