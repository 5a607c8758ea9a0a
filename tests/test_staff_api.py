"""The staff API over HTTP: the real app (`python -m staff serve`) on a loopback port and a
real knowledge base, signed in as editor, reviewer and admin, including every refusal."""

import datetime
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from knowledge.models import StaffSession
from knowledge.published import read_snapshot
from knowledge.settings import load_settings
from knowledge.store import record_unanswered
from staff.accounts import create_account
from staff.api import api as blueprint
from staff.openapi import document
from tests.conftest import build_knowledge, web_app

SETTINGS = load_settings({})
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long enough password 1"
SLUG = "fees-employer-pays"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('staff') / 'kb.db'}"
    factory = build_knowledge(url)
    engine = factory.kw["bind"]
    for name, role in (
        ("ed", "editor"),
        ("rev", "reviewer"),
        ("rev2", "reviewer"),
        ("boss", "admin"),
    ):
        create_account(factory, name, PASSWORD, role)
    with web_app(
        "staff serve", tmp_path_factory.mktemp("logs"), ASSISTANT_DATABASE_URL=url
    ) as base:
        yield base, factory
    engine.dispose()


class Client:
    def __init__(self, base):
        self.base = base
        self.http = requests.Session()
        self.csrf = None

    def sign_in(self, username, password=PASSWORD):
        reply = self.http.post(
            f"{self.base}/api/v1/session", json={"username": username, "password": password}
        )
        if reply.ok:
            self.csrf = reply.json()["csrf_token"]
        return reply

    def call(self, method, path, csrf=True, **kwargs):
        headers = kwargs.pop("headers", {})
        if csrf and self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        return self.http.request(
            method, f"{self.base}/api/v1{path}", headers=headers, timeout=30, **kwargs
        )


def signed_in(server, username):
    client = Client(server[0])
    assert client.sign_in(username).status_code == 200
    return client


def entry(client, slug=SLUG):
    return client.call("GET", f"/entries/{slug}").json()


def texts_with(client, answer, slug=SLUG):
    current = entry(client, slug)
    english = (current["draft"] or current["live"])["texts"]["en"]
    return current["version"], {"en": {**english, "answer": answer}}


def test_the_openapi_document_covers_every_route():
    documented = {
        (path, method.upper()) for path, item in document()["paths"].items() for method in item
    }
    served = set()
    for route in blueprint._future_routes:
        path = "/api/v1" + route.uri
        path = path.replace("<slug:str>", "{slug}").replace("<number:int>", "{number}")
        path = path.replace("<account_id:int>", "{account_id}")
        path = path.replace("<language:str>", "{language}").replace("<key:str>", "{key}")
        served |= {(path, method) for method in route.methods}
    assert documented == served


def test_the_document_is_served(server):
    reply = requests.get(f"{server[0]}/api/openapi.json", timeout=10)
    assert reply.ok and reply.json()["openapi"].startswith("3.")


def test_nothing_without_signing_in(server):
    client = Client(server[0])
    assert client.call("GET", "/entries").status_code == 401
    assert client.call("PUT", f"/entries/{SLUG}/draft", json={}).status_code == 401
    assert client.sign_in("ed", "wrong password!!").status_code == 401


def test_edit_review_publish_and_the_bot_sees_it(server):
    editor, reviewer = signed_in(server, "ed"), signed_in(server, "rev")
    version, texts = texts_with(editor, "Answer changed by an editor.")
    saved = editor.call("PUT", f"/entries/{SLUG}/draft", json={"version": version, "texts": texts})
    assert saved.status_code == 200, saved.text
    draft = saved.json()
    # An editor may not publish; the reviewer sees the difference and publishes.
    refused = editor.call(
        "POST",
        f"/entries/{SLUG}/drafts/{draft['draft']}/publish",
        json={"version": draft["version"]},
    )
    assert refused.status_code == 403 and "reviewer role" in refused.json()["error"]
    waiting = reviewer.call("GET", "/drafts").json()["drafts"]
    assert any(d["slug"] == SLUG for d in waiting)
    assert "diff" in entry(reviewer)
    published = reviewer.call(
        "POST",
        f"/entries/{SLUG}/drafts/{draft['draft']}/publish",
        json={"version": draft["version"]},
    )
    assert published.status_code == 200, published.text
    with server[1]() as session:
        assert (
            read_snapshot(session).entries[SLUG].texts["en"].answer
            == "Answer changed by an editor."
        )
    history = editor.call("GET", f"/entries/{SLUG}/history").json()["history"]
    assert history[0]["live"] and history[0]["published_by"] == "rev"
    rolled = reviewer.call(
        "POST",
        f"/entries/{SLUG}/rollback",
        json={"version": published.json()["version"], "number": history[1]["number"]},
    )
    assert rolled.status_code == 200, rolled.text


def test_a_stale_save_is_refused_with_409(server):
    first, second = signed_in(server, "ed"), signed_in(server, "rev")
    version, texts = texts_with(first, "first")
    assert first.call("PUT", f"/entries/{SLUG}/draft", json={"version": version, "texts": texts}).ok
    stale = second.call("PUT", f"/entries/{SLUG}/draft", json={"version": version, "texts": texts})
    assert stale.status_code == 409 and "changed by ed" in stale.json()["error"]


def test_a_reviewer_cannot_publish_their_own_change(server):
    reviewer = signed_in(server, "rev2")
    version, texts = texts_with(reviewer, "my own change")
    draft = reviewer.call(
        "PUT", f"/entries/{SLUG}/draft", json={"version": version, "texts": texts}
    ).json()
    own = reviewer.call(
        "POST",
        f"/entries/{SLUG}/drafts/{draft['draft']}/publish",
        json={"version": draft["version"]},
    )
    assert own.status_code == 403 and "colleague" in own.json()["error"]
    back = signed_in(server, "rev").call(
        "POST",
        f"/entries/{SLUG}/drafts/{draft['draft']}/return",
        json={"version": draft["version"], "comment": "Cite the source."},
    )
    assert back.status_code == 200 and entry(reviewer)["draft"]["status"] == "returned"


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_changes_need_the_csrf_token(server, token):
    editor = signed_in(server, "ed")
    version, texts = texts_with(editor, "no csrf")
    headers = {"X-CSRF-Token": token} if token else {}
    reply = editor.call(
        "PUT",
        f"/entries/{SLUG}/draft",
        csrf=False,
        headers=headers,
        json={"version": version, "texts": texts},
    )
    assert reply.status_code == 403 and "CSRF" in reply.json()["error"]


def test_an_expired_session_is_refused(server):
    editor = signed_in(server, "ed")
    with server[1]() as session, session.begin():
        for row in session.execute(select(StaffSession)).scalars():
            row.expires_at = datetime.datetime(2000, 1, 1)
    assert editor.call("GET", "/entries").status_code == 401


@pytest.mark.parametrize(
    "data, status, message",
    [
        (b"{not json", 400, "not valid JSON"),
        (b"[1, 2]", 400, "JSON object"),
        (b"", 400, "JSON object"),
        (
            b'{"version": 1, "texts": {"en": {"title": "", "questions": [], "answer": ""}}}',
            400,
            "title must have",
        ),
        (
            b'{"version": "1", "texts": {"fr": {"title": "t", "questions": ["q"], "answer": "a"}}}',
            400,
            "version",
        ),
    ],
)
def test_malformed_bodies_get_a_clear_4xx(server, data, status, message):
    editor = signed_in(server, "ed")
    reply = editor.call(
        "PUT", f"/entries/{SLUG}/draft", data=data, headers={"Content-Type": "application/json"}
    )
    assert reply.status_code == status and message in reply.json()["error"]


def test_an_oversized_upload_is_refused(server):
    editor = signed_in(server, "ed")
    reply = editor.call("PUT", f"/entries/{SLUG}/draft", data=b"x" * (21 * 1024 * 1024))
    assert reply.status_code == 413


def test_markup_is_kept_as_text(server):
    editor = signed_in(server, "ed")
    script = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    version, texts = texts_with(editor, script)
    assert editor.call(
        "PUT", f"/entries/{SLUG}/draft", json={"version": version, "texts": texts}
    ).ok
    assert entry(editor)["draft"]["texts"]["en"]["answer"] == script


def test_admin_creates_accounts_and_api_tokens(server):
    admin, editor = signed_in(server, "boss"), signed_in(server, "ed")
    assert (
        editor.call(
            "POST", "/accounts", json={"username": "x", "password": PASSWORD, "role": "editor"}
        ).status_code
        == 403
    )
    weak = admin.call(
        "POST", "/accounts", json={"username": "newbie", "password": "short", "role": "editor"}
    )
    assert weak.status_code == 400 and "12" in weak.json()["error"]
    created = admin.call(
        "POST", "/accounts", json={"username": "sync", "password": PASSWORD, "role": "editor"}
    )
    assert created.status_code == 201
    token = admin.call(
        "POST", f"/accounts/{created.json()['user']['id']}/tokens", json={"name": "sync script"}
    ).json()["token"]
    integration = requests.get(
        f"{server[0]}/api/v1/entries?topic=remittances",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert integration.ok and all(
        e["topic"] == "remittances" for e in integration.json()["entries"]
    )
    assert admin.call("POST", "/accounts/99999/tokens", json={"name": "x"}).status_code == 400


def test_the_unanswered_inbox(server):
    record_unanswered(server[1], "Can I take my cat to Qatar?", "en")
    record_unanswered(server[1], "can i take my cat to qatar?", "en")
    editor = signed_in(server, "ed")
    questions = editor.call("GET", "/unanswered").json()["questions"]
    cat = next(q for q in questions if "cat" in q["text"].lower())
    assert cat["count"] == 2
    closed = editor.call(
        "POST", "/unanswered/close", json={"ids": cat["ids"], "status": "dismissed"}
    )
    assert closed.json() == {"closed": 2}
    assert not any(
        "cat" in q["text"].lower() for q in editor.call("GET", "/unanswered").json()["questions"]
    )


def test_lock_out_after_repeated_wrong_passwords(server):
    create_account(server[1], "victim", PASSWORD, "editor")
    client = Client(server[0])
    for _ in range(5):
        assert client.sign_in("victim", "not the password").status_code == 401
    locked = client.sign_in("victim")
    assert locked.status_code == 401 and "locked" in locked.json()["error"]


# --- the pages ---------------------------------------------------------------------------
def page(client, path, **params):
    return client.http.get(f"{client.base}{path}", params=params, timeout=30, allow_redirects=False)


def test_pages_need_signing_in(server):
    reply = page(Client(server[0]), "/entries")
    assert reply.status_code == 302 and reply.headers["Location"] == "/login"
    assert page(Client(server[0]), "/login").status_code == 200


def test_every_page_renders_for_a_signed_in_editor(server):
    editor = signed_in(server, "ed")
    for path in (
        "/entries",
        f"/entries/{SLUG}",
        f"/entries/{SLUG}/history",
        "/review",
        "/inbox",
        "/data",
    ):
        reply = page(editor, path)
        assert reply.status_code == 200, path
        assert 'name="csrf-token"' in reply.text and "Content-Security-Policy" in reply.headers
    edit = page(editor, f"/entries/{SLUG}/edit", language="ne")
    assert edit.status_code == 200 and 'name="texts.ne.answer"' in edit.text
    filtered = page(editor, "/entries", topic="remittances", review_status="reviewed")
    assert filtered.status_code == 200 and "remittances" in filtered.text
    missing = page(editor, "/entries/no-such-entry")
    assert missing.status_code == 404 and "No entry" in missing.text


def test_arabic_interface_is_right_to_left(server):
    editor = signed_in(server, "ed")
    reply = page(editor, "/entries", ui="ar")
    assert 'dir="rtl"' in reply.text and 'lang="ar"' in reply.text
    # The choice is remembered.
    assert 'dir="rtl"' in page(editor, "/review").text


def test_markup_in_a_text_is_shown_escaped(server):
    editor = signed_in(server, "ed")
    script = "<script>alert('pwned')</script>"
    version, texts = texts_with(editor, script)
    assert editor.call(
        "PUT", f"/entries/{SLUG}/draft", json={"version": version, "texts": texts}
    ).ok
    shown = page(editor, f"/entries/{SLUG}").text
    assert "<script>alert('pwned')</script>" not in shown
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in shown


# --- files and the calculators' data -----------------------------------------------------
def test_knowledge_base_archive_out_and_in(server):
    editor, reviewer = signed_in(server, "ed"), signed_in(server, "rev")
    exported = editor.call("GET", "/export/knowledge-base.zip")
    assert exported.status_code == 200 and exported.headers["Content-Type"] == "application/zip"
    assert editor.call("POST", "/import/knowledge-base", data=exported.content).status_code == 403
    imported = reviewer.call("POST", "/import/knowledge-base", data=exported.content)
    assert imported.status_code == 200, imported.text
    assert imported.json()["created"] == []
    broken = reviewer.call("POST", "/import/knowledge-base", data=b"PK not really")
    assert broken.status_code == 400 and "zip" in broken.json()["error"]


def test_po_file_out_and_in(server):
    editor = signed_in(server, "ed")
    exported = editor.call("GET", "/export/po/id")
    assert exported.status_code == 200 and b'msgctxt "rights-join-union|title"' in exported.content
    text = exported.content.decode()
    marker = 'msgctxt "rights-join-union|title"'
    start = text.index(marker)
    msgstr = text.index("msgstr", start)
    end = text.index("\n", msgstr)
    edited = text[:msgstr] + 'msgstr "Bolehkah saya masuk serikat pekerja?"' + text[end:]
    result = editor.call("POST", "/import/po/id", data=edited.encode())
    assert result.status_code == 200, result.text
    assert "rights-join-union" in result.json()["drafts"]
    broken = editor.call("POST", "/import/po/id", data=b'msgid "a"\nmsgstr_x "b"\n')
    assert broken.status_code == 400 and "line" in broken.json()["error"]
    assert editor.call("GET", "/export/po/xx").status_code == 400


def test_fee_rules_are_edited_with_a_version(server):
    editor, reviewer = signed_in(server, "ed"), signed_in(server, "rev")
    rules = {r["key"]: r for r in editor.call("GET", "/fee-rules").json()["rules"]}
    nepal = rules["np-free-visa-free-ticket"]
    assert nepal["amount"] == 10000 and nepal["currency"] == "NPR"
    change = {"version": nepal["version"], "changes": {"amount": 12000}}
    assert editor.call("PUT", "/fee-rules/np-free-visa-free-ticket", json=change).status_code == 403
    updated = reviewer.call("PUT", "/fee-rules/np-free-visa-free-ticket", json=change)
    assert updated.status_code == 200 and updated.json()["version"] == nepal["version"] + 1
    stale = reviewer.call("PUT", "/fee-rules/np-free-visa-free-ticket", json=change)
    assert stale.status_code == 409 and "changed by rev" in stale.json()["error"]
    bad = reviewer.call(
        "PUT",
        "/fee-rules/np-free-visa-free-ticket",
        json={"version": nepal["version"] + 1, "changes": {"amount": -5}},
    )
    assert bad.status_code == 400 and "positive amount" in bad.json()["error"]
    reviewed = reviewer.call(
        "PUT",
        "/fee-rules/np-free-visa-free-ticket",
        json={
            "version": nepal["version"] + 1,
            "changes": {"review_status": "reviewed", "last_reviewed": "2026-11-30"},
        },
    )
    assert reviewed.status_code == 400 and "stays unreviewed" in reviewed.json()["error"]


def test_a_new_quarter_of_prices_preview_then_apply(server):
    from tests.knowledge.test_remittances import PROVIDER_FILE

    editor, reviewer = signed_in(server, "ed"), signed_in(server, "rev")
    assert editor.call("POST", "/remittances/preview", data=PROVIDER_FILE).status_code == 403
    preview = reviewer.call("POST", "/remittances/preview", data=PROVIDER_FILE)
    assert preview.status_code == 200, preview.text
    summary = preview.json()
    assert summary["kind"] == "provider_prices" and summary["corridors_with_a_newer_figure"] == 2
    assert {c["corridor"] for c in summary["largest_changes"]} == {"ARE-NPL", "QAT-PHL"}
    before = editor.call("GET", "/remittances/datasets").json()["datasets"]
    refused = reviewer.call("POST", "/remittances/import", data=b"name,value\n1,2\n")
    assert refused.status_code == 400 and "header" in refused.json()["error"]
    assert editor.call("GET", "/remittances/datasets").json()["datasets"] == before
    applied = reviewer.call("POST", "/remittances/import", data=PROVIDER_FILE)
    assert applied.status_code == 200 and applied.json()["changed"]
    assert len(editor.call("GET", "/remittances/datasets").json()["datasets"]) == len(before) + 1


def test_only_an_admin_sees_the_accounts(server):
    assert page(signed_in(server, "ed"), "/accounts").status_code == 403
    admin_page = page(signed_in(server, "boss"), "/accounts")
    assert admin_page.status_code == 200 and "rev2" in admin_page.text
    listed = signed_in(server, "boss").call("GET", "/accounts").json()["accounts"]
    assert {"ed", "rev", "boss"} <= {a["username"] for a in listed}
    assert all("password" not in str(a) for a in listed)


def test_an_unanswered_question_becomes_a_way_of_asking_and_leaves_the_inbox(server):
    record_unanswered(server[1], "can my union help with unpaid salary abroad", "en")
    editor = signed_in(server, "ed")
    group = next(
        q for q in editor.call("GET", "/unanswered").json()["questions"] if "union" in q["text"]
    )
    added = editor.call(
        "POST",
        "/entries/rights-join-union/phrasings",
        json={"language": "en", "question": group["text"], "close_ids": group["ids"]},
    )
    assert added.status_code == 200, added.text
    assert group["text"] in entry(editor, "rights-join-union")["draft"]["texts"]["en"]["questions"]
    assert not any(
        "union" in q["text"] for q in editor.call("GET", "/unanswered").json()["questions"]
    )


def test_a_new_entry_from_the_inbox(server):
    record_unanswered(server[1], "is there a minimum age to work abroad", "en")
    editor = signed_in(server, "ed")
    questions = editor.call("GET", "/unanswered").json()["questions"]
    group = next(q for q in questions if "minimum age" in q["text"])
    new_entry = {
        "slug": "legal-minimum-age",
        "topic": "legal_channels",
        "language": "en",
        "texts": {
            "title": "Minimum age",
            "questions": [group["text"]],
            "answer": "Ask your government's office for workers abroad.",
        },
        "source": "gcm-objective-6",
        "close_ids": group["ids"],
    }
    created = editor.call("POST", "/entries", json=new_entry)
    assert created.status_code == 201, created.text
    assert page(editor, "/entries/legal-minimum-age").status_code == 200
    questions = editor.call("GET", "/unanswered").json()["questions"]
    assert not any("minimum age" in q["text"] for q in questions)
    again = editor.call("POST", "/entries", json={**new_entry, "close_ids": []})
    assert again.status_code == 400 and "already" in again.json()["error"]
