"""The staff pages: server-rendered (Jinja2, autoescaped), translated through the same
gettext catalogs as the bot, right to left for Arabic, usable on a phone. Pages read
through knowledge/editorial.py; every change is sent by the page to the JSON API
(staff/static/staff.js), so the browser and integrations go through the same checks."""

from pathlib import Path
from typing import Any, Dict, Optional, Text

from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect

from knowledge import editorial, fees, remittances
from knowledge.editorial import EditorialError, Forbidden
from knowledge.i18n import babel_locale
from knowledge.models import TOPICS
from knowledge.settings import LANGUAGE_NAMES, PROJECT_ROOT, SUPPORTED_LANGUAGES
from staff import accounts
from staff.api import SESSION_COOKIE

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
UI_COOKIE = "staff_ui"


def N_(text: Text) -> Text:
    """Marks a text for the catalogs; translated when the page is rendered."""
    return text


TOPIC_NAMES = {
    "rights": N_("Rights at work"),
    "legal_channels": N_("Legal ways to go"),
    "recruitment_fees": N_("Recruitment fees"),
    "remittances": N_("Sending money home"),
    "safety": N_("Safety and trafficking"),
    "predeparture": N_("Preparing to leave"),
}
ROLE_NAMES = {"editor": N_("editor"), "reviewer": N_("reviewer"), "admin": N_("administrator")}

pages = Blueprint("staff_pages")


def environments(locales_dir: Path) -> Dict[Text, Environment]:
    """One template environment per interface language, with its catalog installed."""
    built = {}
    for language in SUPPORTED_LANGUAGES:
        environment = Environment(
            loader=FileSystemLoader(str(TEMPLATES)),
            autoescape=select_autoescape(["html"]),
            extensions=["jinja2.ext.i18n"],
        )
        translations = Translations.load(str(locales_dir), [language], "messages")
        environment.install_gettext_translations(translations, newstyle=True)
        environment.globals["translations"] = translations
        built[language] = environment
    return built


def ui_language(request: Request) -> Text:
    chosen = request.args.get("ui") or request.cookies.get(UI_COOKIE)
    if chosen in SUPPORTED_LANGUAGES:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in SUPPORTED_LANGUAGES:
            return code
    return "en"


def render(
    request: Request,
    template: Text,
    user: Optional[accounts.Staff],
    csrf: Optional[Text],
    **values: Any,
) -> HTTPResponse:
    language = ui_language(request)
    environment = request.app.ctx.templates[language]
    translate = environment.globals["translations"].gettext
    body = environment.get_template(template).render(
        ui_language=language,
        direction=babel_locale(language).character_order == "right-to-left" and "rtl" or "ltr",
        ui_languages=list(LANGUAGE_NAMES.items()),
        languages=list(LANGUAGE_NAMES.items()),
        language_names=LANGUAGE_NAMES,
        topic_names={k: translate(v) for k, v in TOPIC_NAMES.items()},
        role_names={k: translate(v) for k, v in ROLE_NAMES.items()},
        topics=TOPICS,
        user=user,
        csrf=csrf,
        request_path=request.path,
        **values,
    )
    response = html(body)
    if request.args.get("ui") in SUPPORTED_LANGUAGES:
        response.cookies[UI_COOKIE] = language
        response.cookies[UI_COOKIE]["samesite"] = "Strict"
        response.cookies[UI_COOKIE]["path"] = "/"
    return response


def signed_in(request: Request):
    return accounts.session_for(request.app.ctx.sessions, request.cookies.get(SESSION_COOKIE))


def page(handler):
    """A page for signed-in staff; others are sent to the sign-in page."""

    async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        found = signed_in(request)
        if found is None:
            return redirect("/login")
        user, csrf = found
        try:
            return await handler(request, user, csrf, *args, **kwargs)
        except EditorialError as refused:
            response = render(request, "base.html", user, csrf, message=str(refused))
            response.status = refused.status
            return response

    wrapped.__name__ = handler.__name__
    return wrapped


@pages.get("/")
async def home(request: Request) -> HTTPResponse:
    return redirect("/entries" if signed_in(request) else "/login")


@pages.get("/login")
async def login(request: Request) -> HTTPResponse:
    return render(request, "login.html", None, None)


@pages.get("/entries")
@page
async def entries(request: Request, user, csrf) -> HTTPResponse:
    filters = {
        name: request.args.get(name)
        for name in ("q", "topic", "language", "country", "review_status", "missing")
    }
    with request.app.ctx.sessions() as session:
        rows = editorial.list_entries(
            session,
            topic=filters["topic"] or None,
            language=filters["language"] or None,
            country=filters["country"] or None,
            review_status=filters["review_status"] or None,
            missing=filters["missing"] or None,
            query=filters["q"] or None,
            display=ui_language(request),
        )
    return render(request, "entries.html", user, csrf, entries=rows, filters=filters)


@pages.get("/entries/<slug:str>")
@page
async def entry(request: Request, user, csrf, slug: Text) -> HTTPResponse:
    with request.app.ctx.sessions() as session:
        detail = editorial.entry_detail(session, slug)
    return render(request, "entry.html", user, csrf, entry=detail)


@pages.get("/entries/<slug:str>/edit")
@page
async def edit(request: Request, user, csrf, slug: Text) -> HTTPResponse:
    language = request.args.get("language", "en")
    if language not in SUPPORTED_LANGUAGES:
        raise EditorialError(f"{language!r} is not one of the languages.")
    with request.app.ctx.sessions() as session:
        detail = editorial.entry_detail(session, slug)
    source = detail["draft"] or detail["live"]
    text = source["texts"].get(language) or {"title": "", "questions": [], "answer": ""}
    return render(request, "edit.html", user, csrf, entry=detail, language=language, text=text)


@pages.get("/entries/<slug:str>/history")
@page
async def history(request: Request, user, csrf, slug: Text) -> HTTPResponse:
    with request.app.ctx.sessions() as session:
        revisions = editorial.history(session, slug)
        version = editorial.entry_detail(session, slug)["version"]
    return render(
        request, "history.html", user, csrf, slug=slug, history=revisions, version=version
    )


@pages.get("/review")
@page
async def review(request: Request, user, csrf) -> HTTPResponse:
    with request.app.ctx.sessions() as session:
        drafts = editorial.drafts_waiting(session)
    return render(request, "review.html", user, csrf, drafts=drafts)


@pages.get("/inbox")
@page
async def inbox(request: Request, user, csrf) -> HTTPResponse:
    with request.app.ctx.sessions() as session:
        questions = editorial.unanswered_groups(session)
        entries = editorial.list_entries(session, display=ui_language(request))
        references = editorial.reference_keys(session)
    return render(
        request,
        "inbox.html",
        user,
        csrf,
        questions=questions,
        entries=entries,
        references=references,
    )


@pages.get("/data")
@page
async def data(request: Request, user, csrf) -> HTTPResponse:
    with request.app.ctx.sessions() as session:
        rules = fees.rules_with_versions(session)
        datasets = remittances.describe_datasets(session)
    return render(request, "data.html", user, csrf, rules=rules, datasets=datasets)


@pages.get("/accounts")
@page
async def staff_accounts(request: Request, user, csrf) -> HTTPResponse:
    if user.role != "admin":
        raise Forbidden("Only an administrator manages accounts.")
    found = accounts.list_accounts(request.app.ctx.sessions)
    return render(request, "accounts.html", user, csrf, accounts=found)


def add_to(app: Sanic, locales_dir: Path = PROJECT_ROOT / "locales") -> None:
    app.ctx.templates = environments(locales_dir)
    app.blueprint(pages)
    app.static("/static", str(STATIC))
