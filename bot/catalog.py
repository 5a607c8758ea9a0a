"""Babel extractor for the bot's responses: every text and button title in the domain's
`responses:` becomes a catalog message (`pybabel extract -F locales/babel.cfg`)."""

from typing import IO, Any, Collection, Dict, Iterator, List, Mapping, Text, Tuple

from ruamel.yaml import YAML

from knowledge.i18n import LANGUAGE_NAME_CONTEXT, button_context, placeholders

Extracted = Tuple[int, Text, Tuple[Text, Text], List[Text]]


def extract_responses(
    fileobj: IO[bytes],
    keywords: Mapping[Text, Any],
    comment_tags: Collection[Text],
    options: Dict[Text, Any],
) -> Iterator[Extracted]:
    """Yield (line, "pgettext", (context, text), comments); a text's context is its
    response's name, so the same English in two responses can be translated apart."""
    document = YAML(typ="rt").load(fileobj.read().decode("utf-8"))
    responses = (document or {}).get("responses") or {}
    for name, variations in responses.items():
        for variation in variations or []:
            if variation.get("text"):
                yield _message(
                    variation.lc.line + 1, name, variation["text"], [f"response: {name}"]
                )
            for button in variation.get("buttons") or []:
                context = button_context(button)
                note = (
                    "The language's own name: keep it as it is."
                    if context == LANGUAGE_NAME_CONTEXT
                    else "button title: keep it short"
                )
                yield _message(button.lc.line + 1, context, button["title"], [note])


def _message(line: int, context: Text, text: Text, comments: List[Text]) -> Extracted:
    names = placeholders(text)
    if names:
        comments = comments + ["keep unchanged: " + ", ".join("{%s}" % n for n in names)]
    return line, "pgettext", (context, text), comments
