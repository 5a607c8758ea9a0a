"""Real conversations (tests/dialogues/<language>.yml): each is played against the running
assistant over its REST channel, one new sender per conversation, and every turn is
checked against what its reply must and must not do (tests/dialogues/README.md). Prints
the pass rate per language and per pattern, and the failed turns; saves
benchmarks/results/dialogues.json.

    python -m benchmarks.dialogues            # starts its own assistant
    python -m benchmarks.dialogues --url http://localhost:5005 --token …

What a reply did is read from the conversation's events (the response each bot message
was rendered from) and, for texts an action composed from several responses, from the
responses' own wording in the user's language.
"""

import argparse
import json
import string
import tempfile
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Set, Text, Tuple

import requests
import yaml
from babel.numbers import get_currency_name, get_currency_symbol

from benchmarks import save_report
from knowledge.details import country_name
from knowledge.i18n import ResponseRenderer, babel_locale, build_renderer
from knowledge.retrieval import Snapshot
from knowledge.settings import SUPPORTED_LANGUAGES, load_settings
from knowledge.text import first_sentence

DIALOGUES_DIR = Path(__file__).resolve().parent.parent / "tests" / "dialogues"
TIMEOUT = 60
# The shortest wording of a response that is still its own (shorter ones, "Continue",
# could be part of anything).
SHORTEST_WORDING = 14
# A repeated message shorter than this ("OK.") is not a repeated block.
SHORTEST_REPEAT = 40

SAFETY = {"utter_urgent_safety"}
CONTACTS = {"utter_local_contacts", "utter_no_local_contacts"}
HANDOFF = {
    "utter_handoff_available",
    "utter_handoff_available_anytime",
    "utter_handoff_forwarded",
    "utter_handoff_forwarded_anytime",
}
REMITTANCE_FIGURES = {
    "utter_remittance_corridor",
    "utter_remittance_region",
    "utter_remittance_global",
}
FEE_VERDICT = {"utter_fee_standard"}
FEE_PRINCIPLE_RESPONSES = {"utter_topic_recruitment_fees", "utter_fee_standard"}
FEE_PRINCIPLE_ENTRIES = {
    "fees-employer-pays",
    "fees-what-counts",
    "fees-np-free-visa-ticket",
    "fees-ph-domestic-no-fee",
    "fees-id-zero-cost",
}
SCAM_ENTRIES = {
    "safety-job-offer-red-flags",
    "channels-check-job-offer",
    "channels-check-recruiter-licence",
}
OFFERS = {"utter_offer_remittance_check", "utter_offer_fee_check", "utter_which_calculator"}
CALCULATOR_PAYLOADS = {"/ask_remittance_cost", "/check_recruitment_fee"}
MENU = {"utter_help", "utter_default", "utter_kb_more_topics"}
UNANSWERED = {"utter_kb_unanswered", "utter_out_of_scope", "utter_default"}
DOCUMENTS_LANGUAGE = "fr"


@dataclass
class Reply:
    """Everything the bot said to one user message."""

    texts: List[Text]
    buttons: List[Dict[Text, Text]]
    responses: Set[Text]
    entries: List[Text]
    language: Optional[Text]

    @property
    def choices(self) -> List[Text]:
        """The entries the reply's buttons offer (/topic_rights{"entry": "…"})."""
        found = []
        for button in self.buttons:
            payload = str(button.get("payload") or "")
            if "{" in payload:
                try:
                    found.append(json.loads(payload[payload.index("{") :]).get("entry"))
                except ValueError:
                    continue
        return [slug for slug in found if slug]

    @property
    def text(self) -> Text:
        return "\n".join(self.texts)


@dataclass
class TurnResult:
    user: Text
    failures: List[Text] = field(default_factory=list)
    said: Text = ""


class Wordings:
    """Which responses a text was rendered from, by each response's longest fixed part
    in the language, and which entries' answers it gives."""

    def __init__(self, renderer: ResponseRenderer, snapshot: Snapshot) -> None:
        self.renderer = renderer
        self.snapshot = snapshot
        self._parts: Dict[Text, List[Tuple[Text, Text]]] = {}

    def parts(self, language: Text) -> List[Tuple[Text, Text]]:
        if language not in self._parts:
            found = []
            for name, variations in self.renderer.responses.items():
                for variation in variations:
                    if not variation.get("text"):
                        continue
                    translated = self.renderer.catalogs.translate(language, name, variation["text"])
                    pieces = [
                        literal.strip()
                        for literal, *_ in string.Formatter().parse(translated)
                        for literal in literal.split("\n")
                    ]
                    longest = max(pieces, key=len, default="")
                    if len(longest) >= SHORTEST_WORDING:
                        found.append((name, longest))
            self._parts[language] = found
        return self._parts[language]

    def responses_in(self, text: Text, language: Text) -> Set[Text]:
        plain = text.replace("\u200f", "")
        return {name for name, part in self.parts(language) if part in plain}

    def entries_in(self, text: Text, language: Text) -> List[Text]:
        """The entries whose answer the text gives, whole or its point in short (the
        opening sentence, said again: utter_kb_answer_short)."""
        plain = text.replace("\u200f", "")
        return [
            slug
            for slug, entry in self.snapshot.entries.items()
            if language in entry.texts and first_sentence(entry.texts[language].answer) in plain
        ]


class Player:
    """Plays conversations against a running assistant's REST channel."""

    def __init__(self, rasa_url: Text, token: Text, wordings: Wordings) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.token = token
        self.wordings = wordings

    def say(self, sender: Text, text: Text, language: Text) -> Reply:
        before = len(self._events(sender))
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        events = self._events(sender)[before:]
        bots = [e for e in events if e.get("event") == "bot"]
        texts = [e.get("text") or "" for e in bots]
        buttons = [b for e in bots for b in ((e.get("data") or {}).get("buttons") or [])]
        names = {(e.get("metadata") or {}).get("utter_action") for e in bots} - {None}
        slots = [e for e in events if e.get("event") == "slot" and e.get("name") == "language"]
        spoken = slots[-1]["value"] if slots else None
        joined = "\n".join(texts)
        return Reply(
            texts=texts,
            buttons=buttons,
            responses=names | self.wordings.responses_in(joined, language),
            entries=self.wordings.entries_in(joined, language),
            language=spoken,
        )

    def language_of(self, sender: Text) -> Optional[Text]:
        return self._tracker(sender)["slots"].get("language")

    def _events(self, sender: Text) -> List[Dict[Text, Any]]:
        return self._tracker(sender).get("events") or []

    def _tracker(self, sender: Text) -> Dict[Text, Any]:
        response = requests.get(
            f"{self.rasa_url}/conversations/{sender}/tracker",
            params={"token": self.token},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        return response.json()


def load_dialogues(directory: Path = DIALOGUES_DIR) -> List[Tuple[Text, Dict[Text, Any]]]:
    """(language, conversation) for every conversation of every language file."""
    found = []
    for language in SUPPORTED_LANGUAGES:
        path = directory / f"{language}.yml"
        if path.exists():
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            found += [(language, c) for c in data.get("conversations") or []]
    return found


def check_name(check: Any) -> Tuple[Text, Optional[Text]]:
    if isinstance(check, Mapping):
        ((name, value),) = check.items()
        return str(name), str(value)
    return str(check), None


class Judge:
    """Whether one reply does what a turn expects and nothing it rejects."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def does(
        self, check: Text, value: Optional[Text], reply: Reply, language: Text, history: "History"
    ) -> bool:
        names, text = reply.responses, reply.text
        if check == "safety":
            return bool(names & SAFETY)
        if check == "asks_location":
            return "utter_ask_location" in names
        if check == "contacts":
            return bool(names & CONTACTS) and (value is None or self._names(value, text, language))
        if check == "handoff":
            return bool(names & (HANDOFF | CONTACTS | {"utter_ask_location"})) and (
                "utter_handoff_unavailable" not in names
                or bool(names & (CONTACTS | {"utter_ask_location"}))
            )
        if check == "topic":
            topics = {self.snapshot.entries[slug].topic for slug in reply.entries}
            entries = self.snapshot.entries
            choices = {entries[s].topic for s in reply.choices if s in entries}
            if "utter_kb_clarify" in names and len(choices) == 1:
                # "Which of these two answers do you mean?", both on the topic.
                topics |= choices
            return (
                value in topics
                or f"utter_topic_{value}" in names
                or (value == "recruitment_fees" and bool(names & FEE_VERDICT))
                or (value == "remittances" and bool(names & REMITTANCE_FIGURES))
            )
        if check == "fee_principle":
            return bool(names & FEE_PRINCIPLE_RESPONSES) or bool(
                set(reply.entries) & FEE_PRINCIPLE_ENTRIES
            )
        if check == "scam_warning":
            return bool(set(reply.entries) & SCAM_ENTRIES)
        if check == "remittance_figure":
            if not names & REMITTANCE_FIGURES:
                return False
            if value is None:
                return True
            origin, _, destination = value.partition(">")
            return self._names(origin, text, language) and self._names(destination, text, language)
        if check == "fee_verdict":
            return bool(names & FEE_VERDICT)
        if check == "form_question":
            return any(
                n.startswith("utter_ask_")
                and n != "utter_ask_location"
                and n != "utter_ask_about_country"
                for n in names
            )
        if check == "offers_calculator":
            payloads = {b.get("payload") for b in reply.buttons}
            return bool(names & OFFERS or payloads & CALCULATOR_PAYLOADS)
        if check == "language_changed":
            return "utter_language_changed" in names
        if check == "expands":
            new_entries = [e for e in reply.entries if e not in history.entries]
            return bool(new_entries) or bool(names & {"utter_safety_next", "utter_remittance_tips"})
        if check == "currency":
            return self._currency(value or "", text, language)
        if check == "menu":
            return bool(names) and names <= MENU | {"utter_greet"} and bool(names & MENU)
        if check == "unanswered":
            return bool(names & UNANSWERED)
        if check == "repeat":
            return any(t in history.texts for t in reply.texts if len(t) >= SHORTEST_REPEAT)
        if check == "excerpt":
            return "utter_kb_excerpt" in names and language != DOCUMENTS_LANGUAGE
        if check == "greeting":
            return "utter_greet" in names
        if check == "goodbye":
            return "utter_goodbye" in names
        raise ValueError(f"unknown check {check!r}")

    @staticmethod
    def _names(code: Text, text: Text, language: Text) -> bool:
        return country_name(code, language).lower() in text.lower()

    @staticmethod
    def _currency(code: Text, text: Text, language: Text) -> bool:
        locale = babel_locale(language)
        spellings = {
            code,
            get_currency_symbol(code, locale=locale),
            get_currency_name(code, locale=locale),
        }
        return any(s and s.lower() in text.lower() for s in spellings)


@dataclass
class History:
    texts: Set[Text] = field(default_factory=set)
    entries: Set[Text] = field(default_factory=set)

    def add(self, reply: Reply) -> None:
        self.texts.update(t for t in reply.texts if len(t) >= SHORTEST_REPEAT)
        self.entries.update(reply.entries)


def play(
    player: Player, judge: Judge, language: Text, conversation: Dict[Text, Any]
) -> List[TurnResult]:
    sender = f"dialogue-{uuid.uuid4().hex}"
    expected_language = language
    history = History()
    results = []
    for turn in conversation["turns"]:
        expected_language = turn.get("lang", expected_language)
        reply = player.say(sender, str(turn["user"]), expected_language)
        result = TurnResult(user=str(turn["user"]), said=reply.text[:300])
        if not reply.texts:
            result.failures.append("no reply")
        spoken = player.language_of(sender)
        if spoken != expected_language:
            result.failures.append(f"answered in {spoken}, not {expected_language}")
        for check in turn.get("expect") or []:
            name, value = check_name(check)
            if not judge.does(name, value, reply, expected_language, history):
                result.failures.append(f"expected {name}{'=' + value if value else ''}")
        for check in turn.get("reject") or []:
            name, value = check_name(check)
            if judge.does(name, value, reply, expected_language, history):
                result.failures.append(f"rejected {name}")
        history.add(reply)
        results.append(result)
    return results


def evaluate(
    rasa_url: Text, token: Text, snapshot: Snapshot, directory: Path = DIALOGUES_DIR
) -> Dict[Text, Any]:
    renderer = build_renderer(load_settings())
    player = Player(rasa_url, token, Wordings(renderer, snapshot))
    judge = Judge(snapshot)
    by_language: Dict[Text, List[bool]] = defaultdict(list)
    by_pattern: Dict[Text, List[bool]] = defaultdict(list)
    failed = []
    for language, conversation in load_dialogues(directory):
        turns = play(player, judge, language, conversation)
        passed = all(not t.failures for t in turns)
        by_language[language].append(passed)
        by_pattern[conversation.get("pattern", "?")].append(passed)
        if not passed:
            failed.append(
                {
                    "id": conversation["id"],
                    "turns": [
                        {"user": t.user, "failures": t.failures, "said": t.said} for t in turns
                    ],
                }
            )
    return {
        "languages": {lang: _rate(v) for lang, v in by_language.items()},
        "patterns": {p: _rate(v) for p, v in sorted(by_pattern.items())},
        "all": _rate([p for v in by_language.values() for p in v]),
        "failed": failed,
    }


def _rate(passed: Iterable[bool]) -> Dict[Text, Any]:
    values = list(passed)
    return {
        "conversations": len(values),
        "passed": sum(values),
        "pass_rate": round(sum(values) / len(values), 3) if values else 0.0,
    }


def print_report(report: Dict[Text, Any]) -> None:
    print(f"{'':12} {'passed':>8} {'of':>4} {'rate':>6}")
    for title, rows in (("language", report["languages"]), ("pattern", report["patterns"])):
        print(f"-- by {title}")
        for key, row in rows.items():
            print(f"{key:12} {row['passed']:>8} {row['conversations']:>4} {row['pass_rate']:>6.0%}")
    row = report["all"]
    print(f"{'all':12} {row['passed']:>8} {row['conversations']:>4} {row['pass_rate']:>6.0%}")


def main() -> None:
    from bot import launcher
    from knowledge.db import make_engine, session_factory
    from knowledge.published import PublishedKnowledge
    from tests.conftest import MODEL, build_knowledge

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running assistant's Rasa URL (else one is started)")
    parser.add_argument("--token", default=launcher.API_TOKEN, help="its API token")
    parser.add_argument("--failures", action="store_true", help="print every failed turn")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        url = f"sqlite:///{Path(work) / 'knowledge.db'}"
        build_knowledge(url)
        snapshot = PublishedKnowledge(session_factory(make_engine(url)), 3600).current()
        if args.url:
            report = evaluate(args.url, args.token, snapshot)
        else:
            with launcher.assistant(
                MODEL, Path(work), ASSISTANT_HANDOFF_CONTACTS="", ASSISTANT_DATABASE_URL=url
            ) as rasa_url:
                report = evaluate(rasa_url, launcher.API_TOKEN, snapshot)
    if args.failures:
        for conversation in report["failed"]:
            print(f"\n## {conversation['id']}")
            for turn in conversation["turns"]:
                mark = "FAIL " + "; ".join(turn["failures"]) if turn["failures"] else "ok"
                print(f"> {turn['user']}\n  [{mark}]\n  {turn['said'][:200]!r}")
    print_report(report)
    save_report("dialogues", report)


if __name__ == "__main__":
    main()
