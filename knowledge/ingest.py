"""The five source documents (knowledge/sources/documents) as passages that citations point at.

Reading checks that a file is UTF-8 text. Parsing cleans what the PDF extraction left (words
cut at line ends, running headers and footers, page numbers, superscripts on lines of their
own, drop capitals, note markers glued to words, OCR damage in 004), separates footnotes and
endnotes from the body, joins paragraphs that go on across a page and labels every passage as
the document numbers it:

- 000: numbered paragraphs "1".."9", their roman sub-items "3(iv)", the unnumbered preamble
  clauses "préambule ¶1"..;
- 001 and 004: numbered paragraphs "1".."50" and "1".."31";
- 002 (no numbering): the short form of the heading and a running number, "Introduction ¶3";
- 003: section number and running number within the section, "2.1.3" (the paragraphs before
  section 1.1 and after 4.4 have no heading: "Introduction ¶1", "Conclusion ¶2");
- notes: "note 4" (footnotes), "note xii" (002's endnotes), "note a" (003's endnotes).

A passage's section is its heading path ("II. … › 1. …" in 001, "2.2 … › Sensibilisation" in
003) or its nearest heading (000, 002, 004); None where the document gives none (000's
preamble, 003's opening and closing paragraphs). A footnote follows the paragraph it
interrupts, endnotes come last; a note marker is taken out of the text and kept in the
referring passage's `notes`, and the note takes that passage's section.

Stdlib only: `python -m knowledge.ingest 001` prints a document's passages (see `dump`).
"""

import re
import sys
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, FrozenSet, List, Optional, Pattern, Sequence, Text, Tuple

DOCUMENTS_DIR = Path(__file__).resolve().parent / "sources" / "documents"


class DocumentError(Exception):
    """A source document that cannot be parsed (message names the file and why)."""


@dataclass(frozen=True)
class DocumentInfo:
    code: Text
    title: Text  # the document's own title, in French
    reference: Text  # full reference
    short: Text  # for the bot's source line
    publisher: Text
    language: Text


# Only what the documents themselves say (002 has no title, author or place: its title
# describes it in its own words, its date is the "(Juin 2007)" that closes it).
DOCUMENTS: Dict[Text, DocumentInfo] = {
    "000": DocumentInfo(
        code="000",
        title="Réunion technique tripartite sur les migrations de main-d’œuvre : Conclusions",
        reference=(
            "ILO, Tripartite Technical Meeting on Labour Migration (Geneva, 4-8 November "
            "2013), Conclusions, TTMLM/2013/14, November 2013"
        ),
        short="ILO, TTMLM/2013/14, 2013",
        publisher="ILO",
        language="fr",
    ),
    "001": DocumentInfo(
        code="001",
        title="Mise en œuvre du plan d’action de l’OIT pour les travailleurs migrants",
        reference="ILO Governing Body, 301st session, GB.301/4, March 2008",
        short="ILO, GB.301/4, 2008",
        publisher="ILO",
        language="fr",
    ),
    "002": DocumentInfo(
        code="002",
        title=(
            "Synthèse : la migration temporaire pour le travail, les accords bilatéraux "
            "et le développement"
        ),
        reference=(
            "Policy synthesis on temporary labour migration, bilateral labour agreements "
            "and development (GFMD-era background paper, June 2007)"
        ),
        short="Synthèse sur la migration temporaire (GFMD, juin 2007)",
        publisher="GFMD",
        language="fr",
    ),
    "003": DocumentInfo(
        code="003",
        title="Migration et développement",
        reference=(
            "IOM, Migration et développement: IOM’s views for the UN High-Level Dialogue "
            "on International Migration and Development (14-15 September 2006), 2006"
        ),
        short="IOM, Migration et développement, 2006",
        publisher="IOM",
        language="fr",
    ),
    "004": DocumentInfo(
        code="004",
        title=(
            "Migration et partenariats fondés sur les compétences : éléments et préalables "
            "essentiels"
        ),
        reference=(
            "IOM, Migration et partenariats fondés sur les compétences : éléments et "
            "préalables essentiels, S/25/5"
        ),
        short="IOM, S/25/5",
        publisher="IOM",
        language="fr",
    ),
}


@dataclass(frozen=True)
class Passage:
    """A paragraph (kind "body") or a footnote or endnote (kind "note") of a document."""

    position: int  # order within the document, 0-based, body passages and notes all counted
    section: Optional[Text]  # heading path ("II. … › 1. …") or nearest heading
    paragraph: Text  # label as the document numbers it: "21", "3(iv)", "2.1.3", "note 4"
    kind: Text  # "body" | "note"
    text: Text  # one cleaned paragraph, single spaces
    notes: Tuple[Text, ...] = ()  # labels of the notes this passage refers to


BODY, NOTE = "body", "note"

# --- Reading ------------------------------------------------------------------------------

TEXT_CONTROLS = {0x09, 0x0A, 0x0C, 0x0D}
MAX_CONTROL_SHARE = 0.05


def read_document(path: Path) -> Text:
    """The text of a source document; DocumentError if the file is missing, empty, binary or
    not UTF-8."""
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{name}: no such file ({path})") from None
    except OSError as error:
        raise DocumentError(f"{name}: cannot be read ({error.strerror or error})") from None
    if not data.strip():
        raise DocumentError(f"{name}: empty" + (" (only whitespace)" if data else ""))
    controls = sum(
        1 for byte in data if (byte < 0x20 and byte not in TEXT_CONTROLS) or byte == 0x7F
    )
    if 0 in data or controls > MAX_CONTROL_SHARE * len(data):
        raise DocumentError(f"{name}: binary data, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentError(
            f"{name}: not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})"
        ) from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise DocumentError(f"{name}: empty (only whitespace)")
    return text


def document_code(path: Path) -> Text:
    """ "001" from "001_1f701b8efe1d1d64.txt"."""
    match = re.match(r"(\d{3})_", path.name)
    if not match:
        raise DocumentError(f"{path.name}: the name does not start with a 3-digit code and '_'")
    return match.group(1)


def document_path(code: Text, directory: Path = DOCUMENTS_DIR) -> Path:
    """The file of the document with this code."""
    paths = sorted(directory.glob(f"{code}_*.txt"))
    if not paths:
        raise DocumentError(f"{code}: no document {code}_*.txt in {directory}")
    return paths[0]


# --- Words and hyphens --------------------------------------------------------------------

WORD = re.compile(r"[^\W\d_]+")
COMPOUND = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)+")
# Hyphenated words whose parts never stand alone: kept when a line ends on their hyphen
# ("non-\ndiscrimination", "elle-\nmême") unless the document writes the word joined.
COMPOUND_FIRST = frozenset(
    "au ci co demi elle elles eux ex extra intra lui macro main micro mi non nous peut "
    "quasi semi socio sous vice vous".split()
)
COMPOUND_SECOND = frozenset("à ci delà dire là même mêmes être".split())


@dataclass(frozen=True)
class Vocabulary:
    """The words of one document, to decide whether a hyphen at a line end is part of the
    word and whether letters glued to a word are a note marker."""

    words: Counter
    hyphen_pairs: FrozenSet[Text]  # "main-d", "au-delà": adjacent parts of hyphenated words

    @classmethod
    def of(cls, text: Text) -> "Vocabulary":
        words = Counter(word.lower() for word in WORD.findall(text))
        pairs = set()
        for line in text.split("\n"):
            for compound in COMPOUND.findall(line):
                parts = compound.lower().split("-")
                pairs.update(
                    f"{left}-{right}" for left, right in zip(parts, parts[1:], strict=False)
                )
        return cls(words, frozenset(pairs))

    def count(self, word: Text) -> int:
        return self.words.get(word.lower(), 0)


EMPTY_VOCABULARY = Vocabulary(Counter(), frozenset())


def keeps_hyphen(left: Text, right: Text, vocabulary: Vocabulary = EMPTY_VOCABULARY) -> bool:
    """Whether "left-" at the end of a line and "right" on the next are one hyphenated word
    ("main-d’œuvre", "Asie-Pacifique", "2014-15") rather than a word cut by the typesetter
    ("pre-" "mier")."""
    if not right or not right[0].islower():
        return True
    if not left or not left[-1].isalpha():
        return True
    first = WORD.findall(left)[-1].lower()
    second_match = WORD.match(right)
    if not second_match or re.match(r"d['’]", right):
        return True
    second = second_match.group(0).lower()
    if f"{first}-{second}" in vocabulary.hyphen_pairs:
        return True
    if vocabulary.count(first + second):
        return False
    return first in COMPOUND_FIRST or second in COMPOUND_SECOND


def join_lines(lines: Sequence[Text], vocabulary: Vocabulary = EMPTY_VOCABULARY) -> Text:
    """The lines of one paragraph as one line: a word cut at a line end is joined again, a
    real hyphen is kept, other line breaks become spaces."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not text:
            text = line
        elif re.search(r"\w-$", text) and line[0].isalnum():
            left = text[:-1]
            text = text + line if keeps_hyphen(left, line, vocabulary) else left + line
        elif re.search(r"\w/$", text):
            text += line  # "et/" "ou"
        else:
            text = f"{text} {line}"
    return text


def normalise_spacing(text: Text) -> Text:
    """Single spaces; no space before a comma, full stop or closing bracket or quote, nor
    after an opening one; dashes set off by spaces; a doubled full stop made single."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    text = re.sub(r" +([.,)](?=\s|$|[.,;:)»”’])|\)|”)", r"\1", text)
    text = re.sub(r"([(“]) +", r"\1", text)
    text = re.sub(r"(?<=\s)([—–])(?=[^\W\d_])", r"\1 ", text)
    text = re.sub(r"(?<=[^\W\d_])([—–])(?=\s)", r" \1", text)
    return text


# --- OCR repair (004) ---------------------------------------------------------------------

# Words the OCR of 004 damaged (lost accents, "œ" read as "ce", "û" as "(", "@", "i" or "l"),
# each checked against the document's context.
OCR_WORDS: Dict[Text, Text] = {
    "accés": "accès",
    "apres": "après",
    "aprés": "après",
    "carriere": "carrière",
    "cceur": "cœur",
    "ceuvre": "œuvre",
    "chaines": "chaînes",
    "chéres": "chères",
    "colits": "coûts",
    "colt": "coût",
    "colteux": "coûteux",
    "colts": "coûts",
    "compléetes": "complètes",
    "connaitre": "connaître",
    "considére": "considère",
    "cooperent": "coopèrent",
    "coté": "côté",
    "dela": "delà",
    "di": "dû",
    "diment": "dûment",
    "dipldmes": "diplômes",
    "diplomes": "diplômes",
    "diplémes": "diplômes",
    "déja": "déjà",
    "entrainer": "entraîner",
    "filieres": "filières",
    "gue": "que",
    "guere": "guère",
    "inserent": "insèrent",
    "intérét": "intérêt",
    "intéréts": "intérêts",
    "lls": "Ils",
    "maniére": "manière",
    "matiere": "matière",
    "matiére": "matière",
    "modeéles": "modèles",
    "méme": "même",
    "méne": "mène",
    "ministéres": "ministères",
    "particulierement": "particulièrement",
    "particuliére": "particulière",
    "patissent": "pâtissent",
    "possedent": "possèdent",
    "posséde": "possède",
    "premiere": "première",
    "prét": "prêt",
    "reconnaitre": "reconnaître",
    "revét": "revêt",
    "revétent": "revêtent",
    "régulieres": "régulières",
    "réle": "rôle",
    "succes": "succès",
    "succés": "succès",
    "suggére": "suggère",
    "systeme": "système",
    "systemes": "systèmes",
    "systéme": "système",
    "systémes": "systèmes",
    "étrangéres": "étrangères",
    "étre": "être",
}
OCR_WORD = re.compile(r"(?<![\w@(])(" + "|".join(map(re.escape, OCR_WORDS)) + r")(?![\w@(])")
# Sequences the OCR damaged, replaced as they are.
OCR_SEQUENCES: Tuple[Tuple[Pattern[Text], Text], ...] = (
    (re.compile(r"\bs\(res\b"), "sûres"),  # "s(res" for "sûres"
    (re.compile(r"\bd@"), "dû"),  # "d@" for "dû"
    (re.compile(r"\bdes la phase\b"), "dès la phase"),
    (re.compile(r"(?<=\s)3(?= ce que\b)"), "à"),  # "veiller 3 ce que"
    (re.compile(r"(?<=\s)&(?= [^\W\d_])"), "à"),  # "profite & tous"
    (re.compile(r"\bColombo\?"), "Colombo1"),  # footnote 1's superscript read as "?"
)
# "I'", "|'" and a lone "'" before a word are the article "l’"; doubled apostrophes are one.
OCR_ARTICLE = re.compile(r"(?:(?<![\w’'])[I|]|(?<=\s))['’\"]+(?=[^\W\d_])")
OCR_APOSTROPHES = re.compile(r"(?<=[^\W\d_])['’\"]{2,}(?=[^\W\d_])")

# "a" is the verb "avoir" after a subject pronoun and in "a lieu", "a tendance", "a des
# avantages" (the verb uses found in 004 besides "a" + past participle, which is left
# alone); it is the preposition "à" before an article, a possessive, an infinitive or a
# fixed phrase ("à moyen terme", "à savoir", "mettre à profit").
A_VERB_BEFORE = re.compile(r"(?:\b(?:il|elle|on|qui|y|cela|ça)|qu['’](?:il|elle|on))\s+$", re.I)
A_VERB_OBJECT = re.compile(r"(?:lieu|tendance|des avantages)\b")
A_PREPOSITION_AFTER = re.compile(
    r"[lds]['’]|se\s|(?:la|les|une?|des|de|du|leurs?|son|sa|ses|ce|cet|cette|ces|toute?s?|"
    r"moyen|long|court|destination|savoir|profit|travers|partir|propos|"
    r"[^\W\d_]+(?:er|ir|re|oir))(?![^\W\d_])"
)


def restore_a_grave(text: Text) -> Text:
    """ "à" where the OCR read "a" and French grammar makes the preposition certain."""

    def replace(match: "re.Match[Text]") -> Text:
        before, after = text[: match.start()], text[match.end() :].lstrip()
        if A_VERB_BEFORE.search(before) or A_VERB_OBJECT.match(after):
            return match.group(0)
        return "à" if A_PREPOSITION_AFTER.match(after) else match.group(0)

    text = re.sub(r"\bc’est-a-dire\b|\bc'est-a-dire\b", "c’est-à-dire", text)
    return re.sub(r"(?<![\w’'-])a(?![\w’'-])", replace, text)


def repair_ocr(text: Text) -> Text:
    """004's OCR damage repaired (see OCR_WORDS and OCR_SEQUENCES); its apostrophes are the
    typographic "’" the rest of the document uses."""
    for pattern, replacement in OCR_SEQUENCES:
        text = pattern.sub(replacement, text)
    text = re.sub(r"d['’]ceuvre", "d’œuvre", text)
    text = OCR_APOSTROPHES.sub("’", text)
    text = OCR_ARTICLE.sub(
        lambda match: "L’" if re.search(r"(?:^|[.!?]\s*)$", text[: match.start()]) else "l’",
        text,
    )
    text = text.replace("'", "’")
    text = OCR_WORD.sub(lambda match: OCR_WORDS[match.group(1)], text)
    return restore_a_grave(text)


def clean_text(text: Text, vocabulary: Vocabulary = EMPTY_VOCABULARY, ocr: bool = False) -> Text:
    """One paragraph (possibly several lines) as one clean line."""
    joined = join_lines(text.split("\n"), vocabulary)
    return normalise_spacing(repair_ocr(joined) if ocr else joined)


# --- Raw text -----------------------------------------------------------------------------

# A superscript on its own line: "316\ne\n session" → "316e session", "n\nos\n 97" → "nos 97".
SUPERSCRIPT_ORDINAL = re.compile(r"(\d)[ \t]*\n\s*(e|er|re|es)[ \t]*\n[ \t]*(?=\S)")
SUPERSCRIPT_NUMBER = re.compile(r"\bn[ \t]*\n\s*(os|o)[ \t]*\n\s*(?=\d)")
# A web address cut at a line end (no space before the break): "…/dp/\nWinters…".
BROKEN_URL = re.compile(r"((?:https?:/|www\.)\S*)\n(?=\S)")


@dataclass(frozen=True)
class Line:
    text: Text  # without surrounding spaces
    page_start: bool  # first line of a page: after a header, footer or page number, or indented
    blank_before: bool


def raw_repairs(text: Text, repairs: Sequence[Tuple[Pattern[Text], Text]] = ()) -> Text:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    for pattern, replacement in repairs:
        text = pattern.sub(replacement, text)
    text = SUPERSCRIPT_ORDINAL.sub(r"\1\2 ", text)
    text = SUPERSCRIPT_NUMBER.sub(r"n\1 ", text)
    return BROKEN_URL.sub(r"\1", text)


def to_lines(raw_lines: Sequence[Text], artefacts: Sequence[Pattern[Text]] = ()) -> List[Line]:
    """Lines with their page and paragraph breaks; running headers, footers and page numbers
    are dropped (the line after one starts a page)."""
    lines: List[Line] = []
    blank = page = False
    for raw in raw_lines:
        if not raw.strip():
            blank = True
            continue
        if any(pattern.match(raw.strip()) for pattern in artefacts):
            page = True
            continue
        page_start = page or bool(re.match(r" \S", raw))
        lines.append(Line(raw.strip(), page_start, blank))
        blank = page = False
    return lines


# --- Layouts ------------------------------------------------------------------------------

ROMAN = (
    "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx xxi xxii "
    "xxiii xxiv xxv xxvi xxvii xxviii xxix xxx xxxi xxxii xxxiii xxxiv xxxv"
).split()
LETTERS = tuple("abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class Layout:
    """How one document is laid out (see knowledge/sources/documents/README.md)."""

    numbered: bool  # the document numbers its paragraphs "1.", "2."…
    body_start: Optional[Pattern[Text]] = None  # first line of the body (front matter before)
    body_end: Optional[Pattern[Text]] = None  # first line after the body (endnotes, closing)
    artefacts: Tuple[Pattern[Text], ...] = ()  # whole lines: running headers, page numbers
    repairs: Tuple[Tuple[Pattern[Text], Text], ...] = ()  # fixes to the raw text
    footnote: Optional[Pattern[Text]] = None  # a footnote's first line; group 1 its number
    footnote_marker: Optional[Text] = None  # "spaced" ("migrants 1.") or "glued" ("migrants.1")
    endnote: Optional[Pattern[Text]] = None  # an endnote's first line; group 1 its label
    endnote_labels: Tuple[Text, ...] = ()
    sub_items: bool = False  # roman sub-items "i)" within numbered paragraphs
    preamble_clauses: bool = False  # unnumbered clauses before paragraph 1, one per passage
    item: Optional[Pattern[Text]] = None  # a list item or bullet that starts a passage
    section_numbers: Optional[Pattern[Text]] = None  # "2.1 Title": labels are "2.1.3"
    unheaded_opening: Optional[Text] = None  # drop capital with no heading: this section
    short_headings: Tuple[Tuple[Text, Text], ...] = ()  # heading → short form for labels
    ocr: bool = False


LAYOUTS: Dict[Text, Layout] = {
    "000": Layout(
        numbered=True,
        body_start=re.compile(r"La Réunion technique tripartite"),
        artefacts=(re.compile(r"\d+ TTMLM-2013-14-\[[^\]]*\]-Fr\.docx$"),),
        footnote=re.compile(r"(\d+)$"),
        sub_items=True,
        preamble_clauses=True,
    ),
    "001": Layout(
        numbered=True,
        body_start=re.compile(r"I\. Contexte"),
        body_end=re.compile(r"Genève, le \d+ \w+ \d{4}"),
        artefacts=(
            re.compile(r"(\d+ )?GB301_4_\[[^\]]*\]-Fr\.doc/v\.\d+( \d+)?$"),
            re.compile(r"GB\.301/4$"),
        ),
        footnote=re.compile(r"(\d+) (?=\S)"),
        footnote_marker="spaced",
    ),
    "002": Layout(
        numbered=False,
        body_end=re.compile(r"\(Juin 2007\)$"),
        repairs=((re.compile("\ufffd"), "•"),),  # the bullets of "Leçon à tirer"
        endnote=re.compile(r"([ivx]+)(?=\s|[A-Z])"),
        endnote_labels=tuple(ROMAN),
        item=re.compile(r"(\d+\.\s|•|-\s)"),
        short_headings=(
            ("Synthèse", "Synthèse"),
            ("Introduction et contexte", "Introduction"),
            ("Politiques et programmes en vigueurs", "Politiques et programmes"),
            ("Accès légal", "Accès légal"),
            ("Programmes unilatéraux d’admission pour le travail", "Programmes unilatéraux"),
            ("Les accords bilatéraux en termes de travail", "Accords bilatéraux"),
            ("Les efforts multilatéraux", "Efforts multilatéraux"),
            ("La protection peut faire des migrants des agents du développement", "Protection"),
            (
                "Intégrer la question de l’égalité des sexes dans la planification de la "
                "migration en faveur du développement",
                "Égalité des sexes",
            ),
            ("Retour/caractère temporaire", "Retour"),
            ("Les solution en termes de coopération à bénéfice mutuel", "Coopération"),
            ("Leçon à tirer", "Leçon à tirer"),
            ("La route à suivre pour les responsables politiques", "Route à suivre"),
            ("Pays d’origine", "Pays d’origine"),
            ("Pays de destination", "Pays de destination"),
        ),
    ),
    "003": Layout(
        numbered=False,
        body_end=re.compile(r"\(Renvois\)$"),
        artefacts=(re.compile(r"\d{1,3}$"),),
        repairs=(
            # The opening sentence was extracted after the first three paragraphs.
            (re.compile(r"\nLes migrations internationales ne datent pas d’hier\.\n"), "\n"),
            (
                re.compile(r"\A ?En fait elles ont toujours existé\."),
                " Les migrations internationales ne datent pas d’hier. "
                "En fait elles ont toujours existé.",
            ),
            (re.compile("\ufffd"), "8"),  # every "8" of the text was lost ("1\ufffd" is 18)
            (re.compile(r"chapitre (\d)\. (\d)"), r"chapitre \1.\2"),
        ),
        footnote=re.compile(r"(\d{1,2})\s{2,}(?=\S)"),
        footnote_marker="glued",
        endnote=re.compile(r"([a-z])\s{2,}(?=\S)"),
        endnote_labels=LETTERS,
        section_numbers=re.compile(r"(\d+\.\d+)\.?\s+(?=\S)"),
        unheaded_opening="Conclusion",
    ),
    "004": Layout(
        numbered=True,
        body_start=re.compile(r"Introduction$"),
        artefacts=(re.compile(r"S/25/5$"), re.compile(r"Page \d+$")),
        footnote=re.compile(r"(\d+) (?=[A-Z])"),
        footnote_marker="glued",
        ocr=True,
    ),
}
DEFAULT_LAYOUT = Layout(numbered=False)

PARAGRAPH = re.compile(r"(\d+)[.,]\s+(?=\S)")  # "21. En matière…"; 004 once writes "24,"
SUB_ITEM = re.compile(r"([ivx]+)\)\s+(?=\S)")
HEADING_NUMBER = re.compile(r"(?:[IVX]+|\d+)\.\s")
TERMINAL = re.compile(r"[.!?:;][»”’)\s]*(?:\d{1,2}|[ivx]{1,6})?\s*$")
SHORT_TITLE = re.compile(r"[^\W\d_][^.;,:]{0,40}\s:")  # "Pays d’origine :"
FOLLOW_ON = re.compile(r"[.!?:;,][»”’)\s]*$")  # a heading never ends like a sentence or a clause


def ends_sentence(text: Text) -> bool:
    """Whether text ends a sentence (a note marker after the full stop does not count)."""
    return bool(TERMINAL.search(text))


def starts_sentence(text: Text) -> bool:
    return bool(re.match(r"[(«“\"•\d]|[^\W\d_]", text)) and not text[0].islower()


# --- Passage building ---------------------------------------------------------------------


@dataclass
class Unit:
    """A passage while it is being built."""

    kind: Text
    label: Text
    section: Optional[Text]
    lines: List[Line] = field(default_factory=list)
    numbered: bool = False  # starts with its own number: its first block is never a heading
    preamble: bool = False
    notes: List[Text] = field(default_factory=list)


class Builder:
    """Passages and notes in document order: a footnote follows the passage it interrupts."""

    def __init__(self) -> None:
        self.units: List[Unit] = []
        self.notes: Dict[Text, Unit] = {}
        self.pending: List[Unit] = []
        self.endnotes: List[Unit] = []

    def body(self, unit: Unit) -> Unit:
        self.flush()
        self.units.append(unit)
        return unit

    def note(self, label: Text, section: Optional[Text], end: bool = False) -> Unit:
        unit = Unit(NOTE, f"note {label}", section)
        self.notes[label] = unit
        (self.endnotes if end else self.pending).append(unit)
        return unit

    def flush(self) -> None:
        self.units.extend(self.pending)
        self.pending = []

    def ordered(self) -> List[Unit]:
        self.flush()
        return self.units + self.endnotes


def blocks(lines: Sequence[Line]) -> List[List[Line]]:
    """Lines in blocks: a blank line or a new page starts a block."""
    result: List[List[Line]] = []
    for line in lines:
        if not result or line.blank_before or line.page_start:
            result.append([line])
        else:
            result[-1].append(line)
    return result


def heading_like(block: Sequence[Line], max_lines: int = 4) -> bool:
    """A short block that starts with a capital or a heading number and does not end a
    sentence or a clause."""
    text = " ".join(line.text for line in block)
    return (
        len(block) <= max_lines
        and len(text) <= 220
        and (text[0].isupper() or bool(HEADING_NUMBER.match(text)))
        and not FOLLOW_ON.search(text)
        and not text.endswith("-")
    )


def heading_text(block: Sequence[Line], vocabulary: Vocabulary, ocr: bool) -> Text:
    text = clean_text("\n".join(line.text for line in block), vocabulary, ocr)
    text = re.sub(r"^(\d+\.\d+)\.\s", r"\1 ", text)
    return re.sub(r"\s*:$", "", text)


def section_path(levels: Sequence[Optional[Text]]) -> Optional[Text]:
    parts = [level for level in levels if level]
    return " › ".join(parts) if parts else None


class NoteReader:
    """Footnotes: a note starts at its number (the next expected) and runs until the next page
    starts; 000 puts the number on a line of its own."""

    def __init__(self, pattern: Optional[Pattern[Text]], builder: Builder) -> None:
        self.pattern = pattern
        self.builder = builder
        self.expected = 1
        self.open: Optional[Unit] = None

    def starts(self, line: Line) -> Optional["re.Match[Text]"]:
        if self.pattern is None or not (line.blank_before or self.open):
            return None
        match = self.pattern.match(line.text)
        return match if match and match.group(1) == str(self.expected) else None

    def take(self, line: Line, section: Optional[Text]) -> bool:
        """Whether the line belongs to a note (and was taken)."""
        match = self.starts(line)
        if match:
            self.open = self.builder.note(str(self.expected), section)
            self.expected += 1
            rest = line.text[match.end() :].strip()
            if rest:
                self.open.lines.append(Line(rest, False, False))
            return True
        if self.open is None:
            return False
        if line.page_start and self.open.lines:
            self.open = None
            return False
        self.open.lines.append(line)
        return True


def parse_numbered(
    lines: Sequence[Line], layout: Layout, builder: Builder, vocabulary: Vocabulary
) -> None:
    """Numbered paragraphs (and 000's roman sub-items and preamble clauses); the unnumbered
    blocks just before a paragraph are its headings."""
    state = NumberedState(layout, builder, vocabulary)
    groups = blocks(lines)
    for index, group in enumerate(groups):
        following = groups[index + 1] if index + 1 < len(groups) else []
        if not state.paragraph and preamble_heading(group, following, state.current):
            state.heading_blocks.append(group)
            continue
        for line in group:
            state.line(line)
    if not state.paragraph:
        raise DocumentError("no numbered paragraph found")


class NumberedState:
    """Headings and open passage of a document that numbers its paragraphs."""

    def __init__(self, layout: Layout, builder: Builder, vocabulary: Vocabulary) -> None:
        self.layout = layout
        self.builder = builder
        self.vocabulary = vocabulary
        self.notes = NoteReader(layout.footnote, builder)
        self.levels: List[Optional[Text]] = [None, None]
        self.current: Optional[Unit] = None
        self.paragraph = 0  # the number of the open paragraph
        self.sub_items = 0  # how many roman sub-items it has had
        self.heading_blocks: List[Sequence[Line]] = []

    def line(self, line: Line) -> None:
        if self.notes.take(line, section_path(self.levels)):
            return
        number = PARAGRAPH.match(line.text)
        sub = SUB_ITEM.match(line.text) if self.layout.sub_items and self.paragraph else None
        if number and next_paragraph(int(number.group(1)), self.paragraph + 1, line, self.current):
            self.start_paragraph(int(number.group(1)), line, number.end())
        elif sub and sub.group(1) == ROMAN[self.sub_items]:
            self.sub_items += 1
            self.start(f"{self.paragraph}({sub.group(1)})", line, sub.end())
        elif not self.paragraph and (
            self.current is None or preamble_break(self.layout, self.current, line)
        ):
            self.current = self.builder.body(Unit(BODY, "", None, [line], preamble=True))
        else:
            self.current.lines.append(line)

    def start_paragraph(self, number: int, line: Line, text_start: int) -> None:
        self.pop_headings()
        for block in self.heading_blocks:
            title = heading_text(block, self.vocabulary, self.layout.ocr)
            level = 1 if re.match(r"\d+\.\s", title) and self.levels[0] else 0
            self.levels[level:] = [title] + [None] * (1 - level)
        self.heading_blocks.clear()
        self.paragraph, self.sub_items = number, 0
        self.start(str(number), line, text_start)

    def start(self, label: Text, line: Line, text_start: int) -> None:
        unit = Unit(BODY, label, section_path(self.levels), numbered=True)
        unit.lines.append(Line(line.text[text_start:], line.page_start, line.blank_before))
        self.current = self.builder.body(unit)

    def pop_headings(self) -> None:
        """The blocks that end the open passage and look like headings are the next one's."""
        if self.current is None:
            return
        parts = blocks(self.current.lines)
        keep = 1 if self.current.numbered else 0
        popped: List[List[Line]] = []
        while len(parts) > keep and heading_like(parts[-1]):
            popped.insert(0, parts.pop())
        self.current.lines = [line for part in parts for line in part]
        self.heading_blocks.extend(popped)


def next_paragraph(number: int, expected: int, line: Line, current: Optional[Unit]) -> bool:
    """Whether "N. …" starts the next numbered paragraph: N is the next number, or one or two
    numbers later where a paragraph plainly starts there (a number lost in the extraction);
    a lower number is a heading or part of the text."""
    if number == expected:
        return True
    starts = re.match(r"\d+[.,]\s+[A-ZÀ-Ý]", line.text) and (line.blank_before or line.page_start)
    ended = current is None or ends_sentence(current.lines[-1].text)
    return expected < number <= expected + 2 and bool(starts) and ended


def preamble_heading(
    group: Sequence[Line], following: Sequence[Line], current: Optional[Unit]
) -> bool:
    """Before paragraph 1: a heading-like block after a finished clause (or at the start),
    followed by a block that does not go on with the same sentence ("I. Contexte")."""
    after_clause = current is None or bool(FOLLOW_ON.search(current.lines[-1].text))
    next_starts = bool(following) and not following[0].text[0].islower()
    return heading_like(group) and after_clause and next_starts


def preamble_break(layout: Layout, current: Unit, line: Line) -> bool:
    """000's preamble: a clause ends with a comma, semicolon or colon; the next starts with
    a capital."""
    if not layout.preamble_clauses or not current.lines:
        return False
    return line.blank_before and line.text[0].isupper() and current.lines[-1].text[-1] in ",;:"


def parse_flowing(
    lines: Sequence[Line], layout: Layout, builder: Builder, vocabulary: Vocabulary
) -> None:
    """Paragraphs separated by blank lines, joined again where one goes on across a blank
    line or a page; headings are short lines that do not end a sentence."""
    notes = NoteReader(layout.footnote, builder)
    groups = blocks(lines)
    state = FlowState(layout, builder, vocabulary)
    for index, group in enumerate(groups):
        following = groups[index + 1][0] if index + 1 < len(groups) else None
        group = [line for line in group if not notes.take(line, state.section())]
        if not group:
            continue
        first = group[0]
        if (
            first.blank_before
            and first.text[0].islower()
            and builder.notes
            and following is not None
            and following.page_start
            and not following.blank_before
        ):
            # The end of a note that went on at the foot of the next page.
            list(builder.notes.values())[-1].lines.extend(group)
            continue
        state.group(group, following is None or following.blank_before)


class FlowState:
    """Headings and open paragraph of a document whose paragraphs are not numbered."""

    def __init__(self, layout: Layout, builder: Builder, vocabulary: Vocabulary) -> None:
        self.layout = layout
        self.builder = builder
        self.vocabulary = vocabulary
        self.levels: List[Optional[Text]] = [None, None]
        self.number: Optional[Text] = None  # 003's section number
        self.prefix = "Introduction" if layout.section_numbers else ""
        self.count = 0
        self.current: Optional[Unit] = None
        self.after_heading = True
        self.shorts = dict(layout.short_headings)
        self.short: Optional[Text] = None  # the current heading's short form, for labels
        self.used: Counter = Counter()

    def section(self) -> Optional[Text]:
        return section_path(self.levels)

    def group(self, group: List[Line], stands_alone: bool) -> None:
        """One block of lines; `stands_alone` when a blank line follows it."""
        first = group[0]
        if self.layout.section_numbers and self.layout.section_numbers.match(first.text):
            self.heading(group, 0)
            return
        if len(first.text) == 1 and first.text.isupper() and len(group) > 1:
            group = [self.drop_capital(first.text, group[1])] + group[2:]
        elif (
            stands_alone
            and not self.is_item(first.text)
            and (heading_like(group, max_lines=2) or SHORT_TITLE.fullmatch(first.text))
        ):
            self.heading(group, 1 if self.layout.section_numbers else 0)
            return
        if (
            len(group) > 1
            and heading_like(group[:1], max_lines=1)
            and len(first.text) < 70
            and group[1].text[0].isupper()
            and not self.is_item(first.text)
        ):
            self.heading(group[:1], 1 if self.layout.section_numbers else 0)
            group = group[1:]
        for position, line in enumerate(group):
            if self.current is None or self.is_item(line.text):
                self.start(line)
            elif position == 0 and self.breaks(line):
                self.start(line)
            else:
                self.current.lines.append(line)

    def is_item(self, text: Text) -> bool:
        return bool(self.layout.item and self.layout.item.match(text))

    def breaks(self, line: Line) -> bool:
        """Whether a line after a blank line or at a page start begins a new paragraph."""
        previous = self.current.lines[-1].text
        if re.search(r"\w-$", previous):
            return False
        if ends_sentence(previous):
            return starts_sentence(line.text)
        if line.blank_before:
            return line.text[0].isupper()
        return False

    def drop_capital(self, letter: Text, line: Line) -> Line:
        """ "M" + "igration" is "Migration"; "A" + "mesure" stays two words."""
        word = WORD.match(line.text)
        joined = letter + (word.group(0) if word else "")
        one_letter_word = letter in "AÀY" and not self.vocabulary.count(joined)
        if not self.after_heading and self.layout.unheaded_opening:
            self.levels = [None, None]
            self.number = None
            self.prefix = self.layout.unheaded_opening
            self.count = 0
            self.current = None
        text = f"{letter} {line.text}" if one_letter_word else letter + line.text
        return Line(text, True, True)

    def heading(self, group: Sequence[Line], level: int) -> None:
        title = heading_text(group, self.vocabulary, self.layout.ocr)
        number = self.layout.section_numbers.match(title) if self.layout.section_numbers else None
        if number:
            self.number = number.group(1)
        self.levels[level:] = [title] + [None] * (1 - level)
        if number or not self.layout.section_numbers:
            self.count = 0
        if level == 0 and not number:
            short = self.shorts.get(title) or " ".join(title.split()[:3])
            self.used[short] += 1
            self.short = short if self.used[short] == 1 else f"{short} ({self.used[short]})"
        self.current = None
        self.after_heading = True

    def start(self, line: Line) -> None:
        self.count += 1
        self.after_heading = False
        self.current = self.builder.body(Unit(BODY, self.label(), self.section(), [line]))

    def label(self) -> Text:
        if self.number:
            return f"{self.number}.{self.count}"
        if self.levels[0] and self.short:
            return f"{self.short} ¶{self.count}"
        return f"{self.prefix or 'texte'} ¶{self.count}"


def parse_endnotes(lines: Sequence[Line], layout: Layout, builder: Builder) -> None:
    """Endnotes after the body: each starts with the next label ("xii", "b")."""
    if layout.endnote is None:
        return
    labels = iter(layout.endnote_labels)
    expected = next(labels, None)
    current: Optional[Unit] = None
    for line in lines:
        match = layout.endnote.match(line.text)
        if expected is not None and match and match.group(1) == expected:
            current = builder.note(expected, None, end=True)
            rest = line.text[match.end() :].strip()
            if rest:
                current.lines.append(Line(rest, False, False))
            expected = next(labels, None)
        elif current is not None:
            current.lines.append(line)


# --- Note markers -------------------------------------------------------------------------


def marker_finder(
    style: Text, vocabulary: Vocabulary
) -> Callable[[Text, Text, int], Optional[Tuple[int, int]]]:
    """How a note's marker is found in the body: "spaced" ("migrants 1."), "glued" digits
    ("migration,1 les", "langues5"), or letters glued to a word ("travaili", "hommea",
    "2007)ii"), accepted only where the word without them is the document's word."""

    def spaced(text: Text, label: Text, start: int) -> Optional[Tuple[int, int]]:
        pattern = rf"(?<=[^\W\d_]) {re.escape(label)}(?=[\s.,;:)]|$)"
        match = re.compile(pattern).search(text, start)
        return (match.start(), match.end()) if match else None

    def glued_digits(text: Text, label: Text, start: int) -> Optional[Tuple[int, int]]:
        pattern = rf"(?<![\d][.,])(?<=[^\W\d_.,;:)”’»]|[.,;:)”’»]){re.escape(label)}(?!\d)"
        for match in re.compile(pattern).finditer(text, start):
            if not text[: match.start()].endswith(("-", "/")):
                return match.start(), match.end()
        return None

    def glued_letters(text: Text, label: Text, start: int) -> Optional[Tuple[int, int]]:
        pattern = rf"(?<=[^\W\d_]|[.)»”]){re.escape(label)}(?![^\W\d_])"
        for match in re.compile(pattern).finditer(text, start):
            prefix = re.search(r"[^\W\d_]*$", text[: match.start()]).group(0)
            if not prefix:
                return match.start(), match.end()
            if glued_to_word(prefix, label, vocabulary):
                return match.start(), match.end()
        return None

    if style == "spaced":
        return spaced
    if style == "glued":
        return glued_digits
    return glued_letters


def glued_to_word(prefix: Text, label: Text, vocabulary: Vocabulary) -> bool:
    """Whether `label` at the end of `prefix + label` is a note marker: the word appears only
    there and, for a marker of one or two letters, the word without it is one the document
    uses elsewhere ("travail" in "travaili") and not one inflected ("trouver" in "trouvera",
    its future)."""
    word = prefix + label
    if vocabulary.count(word) > 1:
        return False
    if len(label) >= 3:
        return True
    if label == "a" and re.search(r"[ei]r$", prefix):
        return False
    return vocabulary.count(prefix) >= 2


def attach_markers(
    units: Sequence[Unit],
    texts: Dict[int, Text],
    labels: Sequence[Text],
    find: Callable[[Text, Text, int], Optional[Tuple[int, int]]],
) -> Dict[Text, int]:
    """Removes the markers of notes `labels` (in order) from the body texts; returns, for
    each label found, the index of the passage that refers to it."""
    found: Dict[Text, int] = {}
    bodies = [index for index, unit in enumerate(units) if unit.kind == BODY]
    cursor, offset = 0, 0
    for label in labels:
        for position in range(cursor, len(bodies)):
            index = bodies[position]
            span = find(texts[index], label, offset if position == cursor else 0)
            if span:
                text = texts[index]
                texts[index] = text[: span[0]] + text[span[1] :]
                units[index].notes.append(f"note {label}")
                found[label] = index
                cursor, offset = position, span[0]
                break
    return found


# --- Parsing ------------------------------------------------------------------------------


def split_body(text: Text, layout: Layout) -> Tuple[List[Text], List[Text]]:
    """The body's lines (front matter dropped) and the lines after it."""
    raw = text.split("\n")
    start = 0
    if layout.body_start:
        for index, line in enumerate(raw):
            if layout.body_start.match(line.strip()):
                start = index
                break
    end = len(raw)
    if layout.body_end:
        for index in range(start, len(raw)):
            if layout.body_end.match(raw[index].strip()):
                end = index
                break
    return raw[start:end], raw[end + 1 :]


def parse_document(code: Text, text: Text) -> List[Passage]:
    """The passages of a document, in order, labelled as the document numbers them."""
    layout = LAYOUTS.get(code, DEFAULT_LAYOUT)
    text = raw_repairs(text, layout.repairs)
    vocabulary = Vocabulary.of(repair_ocr(text) if layout.ocr else text)
    body_lines, end_lines = split_body(text, layout)
    builder = Builder()
    lines = to_lines(body_lines, layout.artefacts)
    try:
        if layout.numbered:
            parse_numbered(lines, layout, builder, vocabulary)
        else:
            parse_flowing(lines, layout, builder, vocabulary)
    except DocumentError as error:
        raise DocumentError(f"{code}: {error}") from None
    parse_endnotes(to_lines(end_lines), layout, builder)
    units = [unit for unit in builder.ordered() if any(line.text for line in unit.lines)]
    if not any(unit.kind == BODY for unit in units):
        raise DocumentError(f"{code}: no paragraph found")
    return finish(units, layout, vocabulary)


def unit_text(unit: Unit, layout: Layout, vocabulary: Vocabulary) -> Text:
    text = join_lines([line.text for line in unit.lines], vocabulary)
    if layout.ocr:
        text = repair_ocr(text)
    if unit.kind == BODY and layout.item:
        text = re.sub(r"^(?:•|-)\s+", "", text)
    return text


def finish(units: List[Unit], layout: Layout, vocabulary: Vocabulary) -> List[Passage]:
    preamble = 0
    for unit in units:
        if unit.preamble:
            preamble += 1
            unit.label = f"préambule ¶{preamble}"
    texts = {index: unit_text(unit, layout, vocabulary) for index, unit in enumerate(units)}
    note_labels = [unit.label.split(" ", 1)[1] for unit in units if unit.kind == NOTE]
    footnotes = [label for label in note_labels if label.isdigit()]
    endnotes = [label for label in note_labels if not label.isdigit()]
    found: Dict[Text, int] = {}
    if layout.footnote_marker and footnotes:
        finder = marker_finder(layout.footnote_marker, vocabulary)
        found.update(attach_markers(units, texts, footnotes, finder))
    if endnotes:
        finder = marker_finder("letters", vocabulary)
        found.update(attach_markers(units, texts, endnotes, finder))
    passages = []
    for index, unit in enumerate(units):
        section = unit.section
        if unit.kind == NOTE:
            label = unit.label.split(" ", 1)[1]
            section = units[found[label]].section if label in found else None
            texts[index] = undouble_note(texts[index], label)
        text = normalise_spacing(texts[index])
        passages.append(Passage(index, section, unit.label, unit.kind, text, tuple(unit.notes)))
    return passages


def undouble_note(text: Text, label: Text) -> Text:
    """A note whose text was extracted twice, the second time after its own label (002's
    note xxix), once."""
    match = re.search(rf"(?<=[.)])\s*{re.escape(label)}\s+", text)
    if match:
        first, second = text[: match.start()], text[match.end() :]
        if re.sub(r"\W", "", first) == re.sub(r"\W", "", second):
            return first
    return text


# --- Reading for people -------------------------------------------------------------------


def load_passages(code: Text, directory: Path = DOCUMENTS_DIR) -> List[Passage]:
    """The passages of the document with this code, read from its file."""
    return parse_document(code, read_document(document_path(code, directory)))


def dump(code: Text) -> Text:
    """The passages of one document as readable text: label, kind, section, then the text,
    so that staff and content writers can see what to cite ("§21")."""
    info = DOCUMENTS.get(code)
    lines = [f"{code} — {info.title} ({info.short})" if info else code, ""]
    for passage in load_passages(code):
        heading = f"§ {passage.paragraph}" + (" [note]" if passage.kind == NOTE else "")
        if passage.section:
            heading += f"  —  {passage.section}"
        if passage.notes:
            heading += f"  (→ {', '.join(passage.notes)})"
        lines.append(heading)
        lines.extend(
            textwrap.wrap(
                passage.text,
                96,
                initial_indent="    ",
                subsequent_indent="    ",
                break_on_hyphens=False,
                break_long_words=False,
            )
        )
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    for argument in sys.argv[1:] or sorted(DOCUMENTS):
        print(dump(argument))
