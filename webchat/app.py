"""The public web chat: a page that talks to Rasa's socket.io channel, an embeddable
snippet for any website, a kiosk mode for a shared screen, and a printable checklist in
the user's language built from the knowledge base. Every asset is served from here (the
socket.io client comes from the npm registry at build time): it works in a centre with
poor or no internet to the outside."""

import json
import os
from pathlib import Path
from typing import Mapping, Optional, Text

from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect, text

from actions.services import renderer
from knowledge.db import make_engine, session_factory
from knowledge.i18n import babel_locale
from knowledge.published import KnowledgeUnavailable, PublishedKnowledge
from knowledge.settings import LANGUAGE_NAMES, SUPPORTED_LANGUAGES, load_settings

HERE = Path(__file__).resolve().parent
SOCKET_IO = HERE / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
CHECKLIST_TOPIC = "predeparture"


def source_labels() -> Mapping[Text, Text]:
    """How each language starts an answer's source line ("Source:", "स्रोत:"), so the page
    can show it apart from the answer."""
    labels = {}
    for language in SUPPORTED_LANGUAGES:
        rendered = renderer().render("utter_kb_answer", language, {"answer": "", "sources": ""})
        labels[language] = rendered["text"].replace("\u200f", "").strip()
    return labels


def create_app(
    environ: Mapping[Text, Text] = os.environ, database_url: Optional[Text] = None
) -> Sanic:
    settings = load_settings(environ)
    app = Sanic("webchat")
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    socket_url = environ.get("ASSISTANT_SOCKET_URL", "").strip()
    idle_seconds = int(environ.get("ASSISTANT_KIOSK_IDLE_SECONDS", "180") or 180)
    templates = {}
    for language in SUPPORTED_LANGUAGES:
        environment = Environment(
            loader=FileSystemLoader(str(HERE / "templates")),
            autoescape=select_autoescape(["html"]),
            extensions=["jinja2.ext.i18n"],
        )
        environment.install_gettext_translations(
            Translations.load(str(settings.locales_dir), [language], "messages"), newstyle=True
        )
        templates[language] = environment
    labels = source_labels()
    engine = make_engine(database_url or settings.database_url)
    knowledge = PublishedKnowledge(session_factory(engine), settings.refresh_interval)

    def language_of(request: Request) -> Text:
        chosen = request.args.get("language")
        return chosen if chosen in SUPPORTED_LANGUAGES else "en"

    def page(request: Request, template: Text, language: Text, **values) -> HTTPResponse:
        body = (
            templates[language]
            .get_template(template)
            .render(
                language=language,
                direction="rtl"
                if babel_locale(language).character_order == "right-to-left"
                else "ltr",
                languages=list(LANGUAGE_NAMES.items()),
                **values,
            )
        )
        response = html(body)
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; connect-src 'self' ws: wss: http: https:; img-src 'self' data:; "
            "style-src 'self'; script-src 'self'; frame-ancestors *"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @app.get("/")
    async def home(request: Request) -> HTTPResponse:
        return redirect("/chat")

    @app.get("/health")
    async def health(_request: Request) -> HTTPResponse:
        return text("ok")

    @app.get("/chat")
    async def chat(request: Request) -> HTTPResponse:
        kiosk = request.args.get("kiosk") == "1" or environ.get("ASSISTANT_KIOSK") == "1"
        config = {
            "socketUrl": socket_url or None,
            "rasaPort": int(environ.get("RASA_PORT", "5005")),
            "kiosk": kiosk,
            "idleSeconds": idle_seconds,
            "sourceLabels": labels,
            "rightToLeft": ["ar"],
        }
        chosen = request.args.get("language")
        return page(
            request,
            "chat.html",
            language_of(request),
            config=json.dumps(config),
            kiosk=kiosk,
            request_language=chosen if chosen in SUPPORTED_LANGUAGES else None,
        )

    @app.get("/chat/embed.js")
    async def embed(request: Request) -> HTTPResponse:
        script = (HERE / "static" / "embed.js").read_text(encoding="utf-8")
        return text(script, content_type="application/javascript; charset=utf-8")

    @app.get("/checklist")
    async def checklist(request: Request) -> HTTPResponse:
        language = language_of(request)
        try:
            snapshot = knowledge.current()
        except KnowledgeUnavailable:
            return page(request, "checklist.html", language, items=[], unavailable=True)
        items = [
            {
                "title": e.texts[language].title,
                "answer": e.texts[language].answer,
                "sources": e.sources[:2],
            }
            for e in snapshot.by_topic(CHECKLIST_TOPIC)
            if language in e.texts
        ]
        return page(request, "checklist.html", language, items=items, unavailable=False)

    app.static("/chat/static", str(HERE / "static"))
    if SOCKET_IO.exists():
        app.static("/chat/vendor/socket.io.min.js", str(SOCKET_IO))

    @app.after_server_stop
    async def close(*_: object) -> None:
        engine.dispose()

    return app


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m webchat")
    parser.add_argument("--host", default=os.environ.get("ASSISTANT_WEBCHAT_HOST", "127.0.0.1"))
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("ASSISTANT_WEBCHAT_PORT", "5070"))
    )
    args = parser.parse_args()
    if not SOCKET_IO.exists():
        raise SystemExit("webchat/node_modules is missing: run `make setup` (npm ci).")
    print(f"Web chat on http://{args.host}:{args.port}/chat (kiosk: /chat?kiosk=1)", flush=True)
    create_app().run(host=args.host, port=args.port, workers=1, access_log=False, motd=False)
