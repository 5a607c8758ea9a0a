"""The web chat in a real browser (Playwright, Debian's Chromium) against the running
assistant over Rasa's socket.io channel: Nepali picked, a fee question answered in Nepali
with its source shown apart; Arabic right to left; the kiosk's reset and idle timeout
clear the screen; the printable checklist. Screenshots go to build/screenshots/."""

from pathlib import Path

import pytest
import requests

from actions import services
from tests.conftest import SCREENSHOTS, web_app

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
IDLE_SECONDS = 4


@pytest.fixture(scope="module")
def webchat(assistant, built_knowledge_url, tmp_path_factory):
    with web_app(
        "webchat",
        tmp_path_factory.mktemp("logs"),
        ASSISTANT_DATABASE_URL=built_knowledge_url,
        ASSISTANT_SOCKET_URL=assistant.rasa_url,
        ASSISTANT_KIOSK_IDLE_SECONDS=str(IDLE_SECONDS),
    ) as base:
        yield base


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def ask(page, text):
    before = page.locator(".bubble.bot").count()
    page.fill("#message", text)
    page.click("#ask button[type=submit]")
    answer = page.locator(".bubble.bot").nth(before)
    answer.wait_for(timeout=30000)  # (no wait_for_function: the page's CSP forbids eval)
    return answer


def test_a_fee_question_in_nepali_gets_a_nepali_answer_with_its_source(browser, webchat):
    page = browser.new_page(viewport={"width": 420, "height": 860})
    try:
        page.goto(f"{webchat}/chat")
        page.click("a.language[lang=ne]")
        page.wait_for_selector(".bubble.bot", timeout=30000)  # the greeting, in Nepali
        greeting = services.renderer().render("utter_greet", "ne")["text"]
        assert page.locator(".bubble.bot").first.inner_text().strip() == greeting.strip()
        assert page.locator(".choices button").count() >= 6  # the topics as quick replies
        answer = ask(page, "काम पाउन एजेन्सीलाई पैसा दिनु पर्छ र")
        source = answer.locator("p.source")
        assert source.count() == 1, answer.inner_text()
        label = services.renderer().render("utter_kb_answer", "ne", {"answer": "", "sources": ""})
        assert source.inner_text().strip().startswith(label["text"].replace("\u200f", "").strip())
        assert any("\u0900" <= c <= "\u097f" for c in answer.inner_text())
        shot(page, "webchat-nepali-phone")
    finally:
        page.close()


def test_arabic_reads_right_to_left(browser, webchat):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(f"{webchat}/chat?language=ar&start=1")
        page.wait_for_selector(".bubble.bot", timeout=30000)
        assert page.get_attribute("html", "dir") == "rtl"
        assert page.get_attribute("#conversation", "dir") == "rtl"
        answer = ask(page, "هل يحق لصاحب العمل أن يأخذ جواز سفري؟")
        assert answer.inner_text().strip()
        shot(page, "webchat-arabic")
    finally:
        page.close()


def test_the_kiosk_clears_the_screen_for_the_next_person(browser, webchat):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})  # a projector
    try:
        page.goto(f"{webchat}/chat?kiosk=1&language=en&start=1")
        page.wait_for_selector(".bubble.bot", timeout=30000)
        ask(page, "hi, I am Ram from Pokhara, call me on 9812345678")
        shot(page, "webchat-kiosk")
        page.click("#reset")
        page.wait_for_url(f"{webchat}/chat?kiosk=1")
        assert page.locator(".bubble").count() == 0 and page.is_visible("#picker")
        assert "9812345678" not in page.content()
        # Left alone, the screen is cleared after the idle time.
        page.click("a.language[lang=en]")
        page.wait_for_selector(".bubble.bot", timeout=30000)
        page.wait_for_url("**/chat?kiosk=1&cleared=1", timeout=(IDLE_SECONDS + 10) * 1000)
        assert page.locator(".bubble").count() == 0 and page.is_visible("#status")
    finally:
        page.close()


def test_the_printable_checklist_in_the_users_language(browser, webchat):
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    try:
        page.goto(f"{webchat}/checklist?language=bn")
        items = page.locator("ol > li")
        assert items.count() == 7
        assert any("\u0980" <= c <= "\u09ff" for c in items.first.inner_text())
        page.emulate_media(media="print")
        assert not page.is_visible("#print")  # buttons are not printed
        shot(page, "checklist-bengali-print")
    finally:
        page.close()


def test_the_embed_snippet_and_the_socket_client_are_served_locally(webchat):
    snippet = requests.get(f"{webchat}/chat/embed.js", timeout=10)
    assert snippet.ok and "iframe" in snippet.text
    client = requests.get(f"{webchat}/chat/vendor/socket.io.min.js", timeout=10)
    assert client.ok and len(client.content) > 10000
    page = requests.get(f"{webchat}/chat", timeout=10).text
    assert 'src="http' not in page and 'href="http' not in page  # no CDN links
