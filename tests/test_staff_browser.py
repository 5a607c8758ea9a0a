"""The staff web app in a real browser (Playwright driving Debian's Chromium,
/usr/bin/chromium; no browser download): an editor signs in and edits an answer, a
reviewer publishes it, and the running bot gives the new answer over its REST channel.
Screenshots of the main pages are saved under build/screenshots/ (the README shows a
copy from docs/screenshots/)."""

import time
from pathlib import Path

import pytest

from knowledge.db import make_engine, session_factory
from knowledge.published import read_snapshot
from staff.accounts import AccountError, create_account
from tests.conftest import SCREENSHOTS, web_app

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "browser test password 1"
SLUG = "rights-join-union"
NEW_ANSWER = (
    "Yes. Migrant workers may join a trade union and take part in its activities, like "
    "local workers. (edited in the browser)"
)


@pytest.fixture(scope="module")
def staff_app(built_knowledge_url, tmp_path_factory):
    factory = session_factory(make_engine(built_knowledge_url))
    for name, role in (("editor-b", "editor"), ("reviewer-b", "reviewer")):
        try:
            create_account(factory, name, PASSWORD, role, name.title())
        except AccountError:
            pass  # made by an earlier module in this session
    logs = tmp_path_factory.mktemp("logs")
    with web_app("staff serve", logs, ASSISTANT_DATABASE_URL=built_knowledge_url) as base:
        yield base, factory


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def sign_in(page, base, username):
    page.goto(f"{base}/login?ui=en")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit] >> text=Sign in")
    page.wait_for_url(f"{base}/entries")


def sign_out(page, base):
    page.click("text=Sign out")
    page.wait_for_url(f"{base}/login")


def bot_answer(assistant, question):
    replies = assistant.say(f"browser-{time.time_ns()}", question, "en")
    return replies[0].get("text", "") if replies else ""


def test_edit_review_publish_and_the_bot_answers_with_it(browser, staff_app, assistant):
    base, factory = staff_app
    with factory() as session:
        entry = read_snapshot(session).entries[SLUG]
    question, old_answer = entry.texts["en"].questions[0], entry.texts["en"].answer
    assert old_answer in bot_answer(assistant, question)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, base, "editor-b")
        shot(page, "entries")
        page.goto(f"{base}/entries/{SLUG}")
        shot(page, "entry")
        page.click(f"a[href='/entries/{SLUG}/edit?language=en']")
        page.fill("#answer", NEW_ANSWER)
        shot(page, "edit")
        page.click("text=Save draft")
        page.wait_for_url(f"{base}/entries/{SLUG}")
        assert page.locator("ins").count() > 0  # the difference is shown
        # An editor cannot publish: no publish button for them.
        assert page.locator("text=Publish").count() == 0
        sign_out(page, base)

        sign_in(page, base, "reviewer-b")
        page.goto(f"{base}/review")
        shot(page, "review")
        page.click(f"a[href='/entries/{SLUG}']")
        shot(page, "draft-diff")
        with page.expect_navigation():
            page.click("button >> text=Publish")
        assert NEW_ANSWER in page.inner_text("table")

        # The bot answers with the new text within seconds, without a restart.
        deadline = time.monotonic() + 20
        answer = bot_answer(assistant, question)
        while NEW_ANSWER not in answer and time.monotonic() < deadline:
            time.sleep(1)
            answer = bot_answer(assistant, question)
        assert NEW_ANSWER in answer

        page.goto(f"{base}/entries/{SLUG}/history")
        shot(page, "history")
        page.goto(f"{base}/inbox")
        shot(page, "inbox")
        # Put the original back (the other end-to-end tests compare with it).
        page.goto(f"{base}/entries/{SLUG}/history")
        page.locator("button >> text=Publish this version again").nth(0).click()
        page.wait_for_url(f"{base}/entries/{SLUG}")
    finally:
        context.close()
    deadline = time.monotonic() + 20
    while old_answer not in bot_answer(assistant, question) and time.monotonic() < deadline:
        time.sleep(1)
    assert old_answer in bot_answer(assistant, question)


def test_a_stale_edit_is_refused_in_the_page_and_the_text_stays(browser, staff_app):
    base, _ = staff_app
    first = browser.new_context()
    second = browser.new_context()
    try:
        one, two = first.new_page(), second.new_page()
        sign_in(one, base, "editor-b")
        sign_in(two, base, "reviewer-b")
        slug = "remit-total-cost"
        one.goto(f"{base}/entries/{slug}/edit?language=fr")
        two.goto(f"{base}/entries/{slug}/edit?language=fr")
        one.fill("#answer", "Premier texte.")
        one.click("text=Save draft")
        one.wait_for_url(f"{base}/entries/{slug}")
        two.fill("#answer", "Second texte, qui ne doit pas se perdre.")
        two.click("text=Save draft")
        error = two.locator(".form-error")
        error.wait_for(state="visible")
        assert "changed by editor-b" in error.inner_text()
        assert two.input_value("#answer") == "Second texte, qui ne doit pas se perdre."
        shot(two, "stale-edit-refused")
    finally:
        first.close()
        second.close()


def test_arabic_and_phone_layouts(browser, staff_app):
    base, _ = staff_app
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        sign_in(page, base, "editor-b")
        page.goto(f"{base}/entries?ui=ar")
        assert page.get_attribute("html", "dir") == "rtl"
        shot(page, "entries-arabic-phone")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1  # nothing wider than the phone's screen
    finally:
        context.close()


def test_a_new_quarter_of_prices_is_previewed_in_the_page(browser, staff_app, tmp_path):
    from tests.knowledge.test_remittances import PROVIDER_FILE

    base, _ = staff_app
    upload = tmp_path / "rpw_2023q3.csv"
    upload.write_bytes(PROVIDER_FILE)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, base, "reviewer-b")
        page.goto(f"{base}/data")
        page.set_input_files("#prices", str(upload))
        page.click("text=Check and preview")
        preview = page.locator("#preview")
        preview.wait_for(state="visible")
        assert "provider_prices" in preview.inner_text() and "ARE-NPL" in preview.inner_text()
        page.locator("#preview").scroll_into_view_if_needed()
        shot(page, "prices-preview")
    finally:
        context.close()
