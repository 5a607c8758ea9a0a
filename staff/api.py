"""The staff JSON API (/api/v1), documented by the OpenAPI document at /api/openapi.json.

Authentication: a session cookie from POST /api/v1/session (browsers; every request that
changes something must then send the session's CSRF token in `X-CSRF-Token`), or
`Authorization: Bearer <token>` (integrations; no cookie, no CSRF). Errors are JSON
objects `{"error": "..."}` with a 4xx status; nothing is half-written."""

import json
import logging
from functools import wraps
from typing import Any, Callable, Dict, Optional, Text

from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, raw
from sanic.response import json as json_response
from sqlalchemy.exc import SQLAlchemyError

from knowledge import editorial, exchange, fees, remittances
from knowledge.calculator_data import job_keys
from knowledge.editorial import EditorialError
from knowledge.entries import read_references
from knowledge.models import ADMIN, EDITOR, REVIEWER
from staff import accounts
from staff.accounts import AccountError, SignInRefused, Staff
from staff.openapi import document

logger = logging.getLogger(__name__)

SESSION_COOKIE = "staff_session"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

api = Blueprint("staff_api", url_prefix="/api/v1")


def error(message: Text, status: int) -> HTTPResponse:
    return json_response({"error": message}, status=status)


def factory(request: Request):
    return request.app.ctx.sessions


LARGEST_ID = 2**63 - 1


def database_int(digits: Text) -> int:
    """A JSON integer, refused when no database column could hold it."""
    number = int(digits)
    if abs(number) > LARGEST_ID:
        raise EditorialError(f"The number {digits[:20]}… is out of range.")
    return number


def body(request: Request) -> Dict[Text, Any]:
    """The request's JSON object; a clear 400 for anything else."""
    if not request.body:
        raise EditorialError("Send a JSON object.")
    try:
        parsed = json.loads(request.body, parse_int=database_int)
    except (ValueError, UnicodeDecodeError):
        raise EditorialError("The body is not valid JSON.") from None
    if not isinstance(parsed, dict):
        raise EditorialError("Send a JSON object.")
    return parsed


def authenticate(request: Request) -> Optional[Staff]:
    """Who sent the request (API token or session cookie); records the session's CSRF
    token for the check on changes."""
    request.ctx.csrf = None
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return accounts.staff_for_api_token(factory(request), header[7:].strip())
    found = accounts.session_for(factory(request), request.cookies.get(SESSION_COOKIE))
    if found is None:
        return None
    staff, csrf = found
    request.ctx.csrf = csrf
    return staff


# What the knowledge base refuses, and the HTTP status each refusal gets.
REFUSALS = (EditorialError, AccountError, fees.FeeRuleError, remittances.RemittanceDataError)


def status_of(refused: Exception) -> int:
    if isinstance(refused, EditorialError):
        return refused.status
    return 409 if isinstance(refused, fees.StaleRule) else 400


def requires(role: Text) -> Callable:
    """Signed in with at least `role`; a cookie session must send its CSRF token on
    changes."""

    def decorate(handler: Callable) -> Callable:
        @wraps(handler)
        async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            staff = authenticate(request)
            if staff is None:
                return error("Sign in first (or send a valid API token).", 401)
            if request.method in UNSAFE and request.ctx.csrf is not None:
                sent = request.headers.get(CSRF_HEADER, "")
                if not sent or sent != request.ctx.csrf:
                    return error("Missing or wrong CSRF token: reload the page.", 403)
            if not staff.can(role):
                return error(f"This needs the {role} role; you are {staff.role}.", 403)
            request.ctx.staff = staff
            if any(isinstance(v, int) and abs(v) > LARGEST_ID for v in kwargs.values()):
                return error("Not found.", 404)
            try:
                return await handler(request, *args, **kwargs)
            except REFUSALS as refused:
                return error(str(refused), status_of(refused))
            except SQLAlchemyError as failure:
                logger.error("Database error: %s", failure.__class__.__name__)
                return error("The knowledge base is not reachable now; nothing was saved.", 503)

        return wrapped

    return decorate


@api.post("/session")
async def sign_in(request: Request) -> HTTPResponse:
    try:
        sent = body(request)
        staff, token, csrf = accounts.sign_in(
            factory(request), str(sent.get("username") or ""), str(sent.get("password") or "")
        )
    except EditorialError as refused:
        return error(str(refused), 400)
    except SignInRefused as refused:
        return error(str(refused), 401)
    response = json_response({"user": staff.__dict__, "csrf_token": csrf})
    response.cookies[SESSION_COOKIE] = token
    cookie = response.cookies[SESSION_COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/"
    cookie["max-age"] = accounts.SESSION_HOURS * 3600
    if request.app.ctx.secure_cookies:
        cookie["secure"] = True
    return response


@api.delete("/session")
@requires(EDITOR)
async def sign_out(request: Request) -> HTTPResponse:
    accounts.sign_out(factory(request), request.cookies.get(SESSION_COOKIE))
    response = json_response({"signed_out": True})
    del response.cookies[SESSION_COOKIE]
    return response


@api.get("/me")
@requires(EDITOR)
async def me(request: Request) -> HTTPResponse:
    return json_response({"user": request.ctx.staff.__dict__, "csrf_token": request.ctx.csrf})


@api.get("/entries")
@requires(EDITOR)
async def entries(request: Request) -> HTTPResponse:
    args = {
        name: request.args.get(name)
        for name in ("topic", "language", "country", "review_status", "missing", "q")
    }
    with factory(request)() as session:
        rows = editorial.list_entries(
            session,
            topic=args["topic"],
            language=args["language"],
            country=args["country"],
            review_status=args["review_status"],
            missing=args["missing"],
            query=args["q"],
        )
    return json_response({"entries": rows})


@api.post("/entries")
@requires(EDITOR)
async def create_entry(request: Request) -> HTTPResponse:
    sent = body(request)
    references = sent.get("references")
    if references is None and sent.get("source"):
        references = [sent["source"]]
    result = editorial.create_entry(
        factory(request),
        sent.get("slug"),
        sent.get("topic"),
        sent.get("language"),
        sent.get("texts"),
        references,
        request.ctx.staff.username,
    )
    if sent.get("close_ids"):
        editorial.close_unanswered(factory(request), sent["close_ids"], "done")
    return json_response(result, status=201)


@api.get("/entries/<slug:str>")
@requires(EDITOR)
async def entry(request: Request, slug: Text) -> HTTPResponse:
    with factory(request)() as session:
        return json_response(editorial.entry_detail(session, slug))


@api.put("/entries/<slug:str>/draft")
@requires(EDITOR)
async def save_draft(request: Request, slug: Text) -> HTTPResponse:
    sent = body(request)
    result = editorial.save_draft(
        factory(request), slug, sent.get("version"), sent.get("texts"), request.ctx.staff.username
    )
    return json_response(result)


@api.post("/entries/<slug:str>/phrasings")
@requires(EDITOR)
async def add_phrasing(request: Request, slug: Text) -> HTTPResponse:
    sent = body(request)
    result = editorial.add_phrasing(
        factory(request),
        slug,
        sent.get("version"),
        str(sent.get("language") or ""),
        sent.get("question"),
        request.ctx.staff.username,
    )
    if sent.get("close_ids"):
        editorial.close_unanswered(factory(request), sent["close_ids"], "done")
    return json_response(result)


@api.get("/drafts")
@requires(EDITOR)
async def drafts(request: Request) -> HTTPResponse:
    with factory(request)() as session:
        return json_response({"drafts": editorial.drafts_waiting(session)})


@api.post("/entries/<slug:str>/drafts/<number:int>/publish")
@requires(REVIEWER)
async def publish(request: Request, slug: Text, number: int) -> HTTPResponse:
    sent = body(request)
    result = editorial.publish_draft(
        factory(request), slug, number, sent.get("version"), request.ctx.staff.username
    )
    return json_response(result)


@api.post("/entries/<slug:str>/drafts/<number:int>/return")
@requires(REVIEWER)
async def send_back(request: Request, slug: Text, number: int) -> HTTPResponse:
    sent = body(request)
    result = editorial.return_draft(
        factory(request),
        slug,
        number,
        sent.get("version"),
        request.ctx.staff.username,
        sent.get("comment"),
    )
    return json_response(result)


@api.get("/entries/<slug:str>/history")
@requires(EDITOR)
async def history(request: Request, slug: Text) -> HTTPResponse:
    with factory(request)() as session:
        return json_response({"history": editorial.history(session, slug)})


@api.post("/entries/<slug:str>/rollback")
@requires(REVIEWER)
async def rollback(request: Request, slug: Text) -> HTTPResponse:
    sent = body(request)
    result = editorial.rollback(
        factory(request), slug, sent.get("number"), sent.get("version"), request.ctx.staff.username
    )
    return json_response(result)


@api.get("/unanswered")
@requires(EDITOR)
async def unanswered(request: Request) -> HTTPResponse:
    status = request.args.get("status", "new")
    with factory(request)() as session:
        return json_response({"questions": editorial.unanswered_groups(session, status)})


@api.post("/unanswered/close")
@requires(EDITOR)
async def close_unanswered(request: Request) -> HTTPResponse:
    sent = body(request)
    count = editorial.close_unanswered(factory(request), sent.get("ids") or [], sent.get("status"))
    return json_response({"closed": count})


@api.get("/accounts")
@requires(ADMIN)
async def list_accounts(request: Request) -> HTTPResponse:
    return json_response({"accounts": accounts.list_accounts(factory(request))})


@api.post("/accounts")
@requires(ADMIN)
async def create_account(request: Request) -> HTTPResponse:
    sent = body(request)
    staff = accounts.create_account(
        factory(request),
        str(sent.get("username") or ""),
        str(sent.get("password") or ""),
        str(sent.get("role") or ""),
        str(sent.get("display_name") or ""),
    )
    return json_response({"user": staff.__dict__}, status=201)


@api.post("/accounts/<account_id:int>/tokens")
@requires(ADMIN)
async def create_token(request: Request, account_id: int) -> HTTPResponse:
    sent = body(request)
    name = str(sent.get("name") or "").strip()
    if not name:
        return error("Name the token (what will use it).", 400)
    token = accounts.create_api_token(factory(request), account_id, name)
    return json_response({"token": token, "note": "Shown once: store it now."}, status=201)


# --- files and the calculators' data -------------------------------------------------
def raw_upload(request: Request) -> bytes:
    if not request.body:
        raise EditorialError("Send the file as the request body.")
    return request.body


@api.get("/export/knowledge-base.zip")
@requires(EDITOR)
async def export_knowledge_base(request: Request) -> HTTPResponse:
    with factory(request)() as session:
        data = exchange.export_archive(session, request.app.ctx.settings.references_file)
    return raw(
        data,
        content_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="knowledge-base.zip"'},
    )


@api.post("/import/knowledge-base")
@requires(REVIEWER)
async def import_knowledge_base(request: Request) -> HTTPResponse:
    report = exchange.import_archive(
        factory(request),
        raw_upload(request),
        request.app.ctx.settings.references_file,
        request.ctx.staff.username,
        request.headers.get("X-File-Name", "upload.zip"),
    )
    return json_response(
        {"created": report.created, "updated": report.updated, "unchanged": len(report.unchanged)}
    )


@api.get("/export/po/<language:str>")
@requires(EDITOR)
async def export_po(request: Request, language: Text) -> HTTPResponse:
    with factory(request)() as session:
        data = exchange.export_po(session, language)
    return raw(
        data,
        content_type="text/x-gettext-translation; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="knowledge-{language}.po"'},
    )


@api.post("/import/po/<language:str>")
@requires(EDITOR)
async def import_po(request: Request, language: Text) -> HTTPResponse:
    result = exchange.import_po(
        factory(request), language, raw_upload(request), request.ctx.staff.username
    )
    return json_response(result)


@api.get("/fee-rules")
@requires(EDITOR)
async def fee_rules(request: Request) -> HTTPResponse:
    with factory(request)() as session:
        return json_response({"rules": fees.rules_with_versions(session)})


@api.put("/fee-rules/<key:str>")
@requires(REVIEWER)
async def update_fee_rule(request: Request, key: Text) -> HTTPResponse:
    sent = body(request)
    changes = sent.get("changes")
    if not isinstance(changes, dict):
        raise EditorialError("Send the fields to change as `changes`.")
    version = fees.update_rule(
        factory(request),
        key,
        sent.get("version"),
        changes,
        request.ctx.staff.username,
        read_references(request.app.ctx.settings.references_file),
        job_keys(),
    )
    return json_response({"key": key, "version": version})


@api.get("/remittances/datasets")
@requires(EDITOR)
async def remittance_datasets(request: Request) -> HTTPResponse:
    with factory(request)() as session:
        return json_response({"datasets": remittances.describe_datasets(session)})


@api.post("/remittances/preview")
@requires(REVIEWER)
async def remittance_preview(request: Request) -> HTTPResponse:
    return json_response(remittances.preview(factory(request), raw_upload(request)))


@api.post("/remittances/import")
@requires(REVIEWER)
async def remittance_import(request: Request) -> HTTPResponse:
    result = remittances.import_bytes(
        factory(request),
        raw_upload(request),
        request.headers.get("X-File-Name", "upload.csv"),
        request.ctx.staff.username,
    )
    return json_response(
        {
            "dataset": result.dataset_id,
            "changed": result.changed,
            "summary": result.report.summary(),
        }
    )


def add_to(app: Sanic) -> None:
    app.blueprint(api)

    @app.get("/api/openapi.json")
    async def openapi(_request: Request) -> HTTPResponse:
        return json_response(document())
