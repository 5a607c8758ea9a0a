"""Rendering: catalogs, locale formatting, right-to-left text, sourced values."""

import pytest

from knowledge.i18n import (
    RIGHT_TO_LEFT_MARK,
    Catalogs,
    MissingValue,
    ResponseRenderer,
    format_value,
    load_facts,
    load_responses,
    mark_direction,
    placeholders,
)
from knowledge.settings import SUPPORTED_LANGUAGES, load_settings

SETTINGS = load_settings({})


@pytest.fixture(scope="module")
def renderer() -> ResponseRenderer:
    return ResponseRenderer(
        load_responses(SETTINGS.domain_dir),
        Catalogs(SETTINGS.locales_dir),
        load_facts(SETTINGS.facts_file),
    )


@pytest.mark.parametrize(
    "language, expected",
    [("en", "6.18%"), ("fr", "6,18\xa0%"), ("es", "6,18\xa0%"), ("id", "6,18%")],
)
def test_percent_is_written_the_way_the_locale_writes_it(language, expected):
    assert format_value({"percent": 0.0618}, language) == expected


def test_money_uses_the_locales_grouping_and_currency():
    assert format_value({"amount": 150000, "currency": "NPR"}, "en") == "NPR150,000"
    assert format_value({"amount": 150000, "currency": "NPR"}, "ne") == "नेरू\xa01,50,000"
    assert format_value({"amount": 1500, "currency": "EUR"}, "fr") == "1\u202f500\xa0€"


def test_quarter_and_date_are_localised():
    assert format_value({"quarter": "2023-Q3"}, "en") == "Q3 2023"
    assert format_value({"quarter": "2023-Q3"}, "fr") == "T3 2023"
    assert format_value({"date": "2024-08-30"}, "es") == "30 de agosto de 2024"


def test_lists_are_joined_with_the_locales_conjunction():
    contacts = ["WhatsApp", "centre@example.org"]
    assert format_value(contacts, "en") == "WhatsApp and centre@example.org"
    assert format_value(contacts, "id") == "WhatsApp dan centre@example.org"


def test_every_line_of_arabic_starts_right_to_left():
    text = mark_direction("• C189\nILO art. 9", "ar")
    assert all(line.startswith(RIGHT_TO_LEFT_MARK) for line in text.split("\n"))
    assert mark_direction("• C189", "fr") == "• C189"


def test_an_unknown_value_shape_is_refused():
    with pytest.raises(ValueError):
        format_value({"weight": 3}, "en")


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_remittance_answer_has_its_figures_formatted_for_the_locale(renderer, language):
    text = renderer.render("utter_topic_remittances", language)["text"]
    assert "{" not in text
    assert format_value({"percent": 0.0618}, language) in text
    assert format_value({"quarter": "2023-Q3"}, language) in text


def test_a_response_is_translated_into_the_conversation_language(renderer):
    english = renderer.render("utter_goodbye", "en")["text"]
    french = renderer.render("utter_goodbye", "fr")["text"]
    assert english.startswith("Goodbye")
    assert french != english


def test_an_unsupported_language_falls_back_to_the_default(renderer):
    assert renderer.render("utter_goodbye", "xx") == renderer.render("utter_goodbye", "en")


def test_language_buttons_keep_each_languages_own_name(renderer):
    for language in SUPPORTED_LANGUAGES:
        titles = [b["title"] for b in renderer.render("utter_choose_language", language)["buttons"]]
        assert [t.lstrip(RIGHT_TO_LEFT_MARK) for t in titles] == [
            "English",
            "Français",
            "Español",
            "العربية",
            "नेपाली",
            "Filipino",
            "বাংলা",
            "Bahasa Indonesia",
        ]


def test_arabic_buttons_and_text_are_marked_right_to_left(renderer):
    message = renderer.render("utter_help", "ar")
    assert message["text"].startswith(RIGHT_TO_LEFT_MARK)
    assert all(b["title"].startswith(RIGHT_TO_LEFT_MARK) for b in message["buttons"])


def test_a_placeholder_nobody_fills_is_an_error_not_shown_to_the_user(renderer):
    with pytest.raises(MissingValue):
        renderer.render("utter_handoff_available", "en")


# Values that actions pass when they send these responses (see actions/).
ACTION_VALUES = {
    "utter_handoff_available": {"contacts", "hours"},
    "utter_handoff_available_anytime": {"contacts"},
    "utter_handoff_forwarded": {"hours"},
    # actions/knowledge.py
    "utter_kb_answer": {"answer", "sources"},
    "utter_kb_answer_unreviewed": {"answer", "sources"},
    "utter_kb_answer_short": {"answer", "sources"},
    "utter_kb_answer_short_unreviewed": {"answer", "sources"},
    "utter_kb_answer_short_again": {"answer", "sources"},
    "utter_kb_answer_short_unreviewed_again": {"answer", "sources"},
    "utter_kb_excerpt": {"excerpt", "sources"},
    "utter_checklist_link": {"checklist_url"},
    # actions/calculators.py
    "utter_amount_too_large": {"amount"},
    "utter_same_country": {"country"},
    "utter_remit_currency_mismatch": {"currency", "work_country", "local_currency"},
    "utter_remittance_corridor": {
        "work_country",
        "home_country",
        "cost_percent",
        "period",
        "amount",
        "cost_amount",
    },
    "utter_remittance_region": {
        "work_country",
        "home_country",
        "region",
        "cost_percent",
        "period",
        "amount",
        "cost_amount",
    },
    "utter_remittance_global": {
        "work_country",
        "home_country",
        "cost_percent",
        "period",
        "amount",
        "cost_amount",
    },
    "utter_remittance_cheapest": {"period", "providers"},
    "utter_remittance_by_type": {"by_type"},
    "utter_remittance_source": {"source", "period"},
    "utter_fee_rule_zero": {"authority_country", "amount"},
    "utter_fee_rule_cap": {"authority_country", "cap"},
    "utter_fee_rule_months": {"authority_country", "months"},
    "utter_fee_rule_wage_share": {"authority_country", "share"},
    "utter_fee_cap_from_wage": {"cap"},
    "utter_fee_above": {"amount", "excess"},
    "utter_fee_within": {"amount"},
    "utter_fee_other_currency": {"currency", "cap_currency"},
    "utter_fee_rule_source": {"source", "reviewed"},
    "utter_fee_rule_unreviewed": {"source", "authority"},
    "utter_fee_no_rule": {"home_country", "work_country", "authority"},
    "utter_fee_next_steps": {"authority"},
    "utter_same_country_fee": {"country"},
    "utter_fee_above_converted": {"amount", "converted", "period", "source", "excess"},
    "utter_fee_within_converted": {"amount", "converted", "period", "source"},
    # actions/safety.py, actions/contacts.py, actions/followup.py
    "utter_local_contacts": {"country", "contacts"},
    "utter_local_contacts_again": {"country", "contacts"},
    "utter_local_contacts_more": {"country", "first"},
    "utter_no_local_contacts": {"country"},
    "utter_no_local_contacts_again": {"country"},
    "utter_no_local_contacts_more": {"country"},
    "utter_home_contacts": {"home_country", "contacts"},
    "utter_home_contacts_again": {"home_country", "contacts"},
    "utter_ask_about_country": {"country"},
    "utter_general_rule_only": {"country"},
    "utter_converted": {"amount", "converted", "period", "source"},
    "utter_no_rate": {"currency", "target"},
}


def test_every_placeholder_is_filled_by_a_fact_or_by_the_action_that_sends_it():
    facts = load_facts(SETTINGS.facts_file)
    for name, variations in load_responses(SETTINGS.domain_dir).items():
        for variation in variations:
            missing = (
                set(placeholders(variation.get("text")))
                - set(facts)
                - ACTION_VALUES.get(name, set())
            )
            assert not missing, f"{name}: nothing fills {missing}"


def test_every_fact_has_a_source_and_a_review_status():
    for fact in load_facts(SETTINGS.facts_file).values():
        assert fact.source.strip()
        assert fact.review_status in {"reviewed", "unreviewed"}
