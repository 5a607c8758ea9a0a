"""The translation catalogs: complete, in step with the domain, placeholders intact."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from knowledge.i18n import LANGUAGE_NAME_CONTEXT, placeholders
from knowledge.settings import SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
TRANSLATED = [language for language in SUPPORTED_LANGUAGES if language != "en"]


def catalog(language):
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


def messages(cat):
    return [m for m in cat if m.id]


def test_template_is_in_step_with_the_domain(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            Path(sys.executable).parent / "pybabel",
            "extract",
            "-F",
            "locales/babel.cfg",
            "-o",
            str(fresh),
            "--no-wrap",
            ".",
        ],
        cwd=ROOT,
        check=True,
        env={"PYTHONPATH": str(ROOT)},
    )

    def ids(path):
        with open(path, "rb") as pot:
            return {(m.context, m.id) for m in read_po(pot) if m.id}

    assert ids(fresh) == ids(LOCALES / "messages.pot"), "run `make catalogs-update`"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language):
    template = {(m.context, m.id) for m in messages(read_po(open(LOCALES / "messages.pot", "rb")))}
    cat = catalog(language)
    translated = {(m.context, m.id) for m in messages(cat) if m.string and not m.fuzzy}
    assert template - translated == set()


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language):
    for message in messages(catalog(language)):
        assert placeholders(message.string) == placeholders(message.id), message.id


@pytest.mark.parametrize("language", TRANSLATED)
def test_language_names_are_never_translated(language):
    for message in messages(catalog(language)):
        if message.context == LANGUAGE_NAME_CONTEXT:
            assert message.string == message.id


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_line_structure_and_the_source_line(language):
    for message in messages(catalog(language)):
        assert message.string.count("\n") == message.id.count("\n"), message.id
        assert message.string.count("•") == message.id.count("•"), message.id


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_passes_babels_checks(language):
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog(language).check()]
    assert problems == []
