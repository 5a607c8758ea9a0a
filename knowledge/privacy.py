"""What must not be kept from a message: phone numbers, e-mail addresses, document numbers
and names. Used before a question is stored for staff (the unanswered-questions log).

Names are found by how people introduce themselves or others in the eight languages
("my name is …", "je m'appelle …", "mero naam … ho", "اسمي …", "nama saya …") and by
titles ("Mr …", "Ibu …", "Kuya …"), not guessed from capital letters, which would also
remove the countries and agencies staff need to see."""

import re
from typing import Text

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits, possibly grouped with spaces, dots, dashes, brackets or a leading +.
PHONE = re.compile(r"\+?\(?\d[\d\s().-]{5,}\d")
# Passport, visa and ID numbers: one or two letters then six to nine digits (P1234567,
# PA1234567, 10-digit national IDs are caught as phone numbers).
DOCUMENT_NUMBER = re.compile(r"\b[A-Za-z]{1,2}\d{6,9}\b")

# Words that introduce a name; the next one to three words are the name.
NAME_CUES = [
    # en
    r"my name is",
    r"my name's",
    r"my names",
    r"i am called",
    r"call me",
    r"im called",
    r"my (?:employer|boss|sponsor|kafeel|agent|husband|wife|son|daughter) is",
    # fr
    r"je m[’']appelle",
    r"je m appelle",
    r"mon nom est",
    r"mon nom c[’']est",
    # es
    r"me llamo",
    r"mi nombre es",
    # id
    r"nama saya",
    r"namaku",
    r"nama aku",
    r"saya bernama",
    # tl
    r"ang pangalan ko ay",
    r"pangalan ko ay",
    r"pangalan ko",
    r"ako si",
    # romanised ne / bn, Arabizi
    r"mero naam",
    r"mero nam",
    r"amar naam",
    r"amar nam",
    r"esmi",
    r"ismi",
    # ar, ne, bn
    r"انا اسمي",
    r"أنا اسمي",
    r"اسمي",
    r"मेरो नाम",
    r"আমার নাম",
]
TITLES = [
    r"mr",
    r"mrs",
    r"ms",
    r"miss",
    r"mister",
    r"madam",
    r"madame",
    r"mme",
    r"monsieur",
    r"señor",
    r"señora",
    r"sr",
    r"sra",
    r"don",
    r"doña",
    r"bapak",
    r"pak",
    r"ibu",
    r"bu",
    r"mbak",
    r"kuya",
    r"ate",
    r"mang",
    r"aling",
    r"didi",
    r"dai",
    r"bhai",
    r"apa",
    r"sheikh",
    r"sayed",
    r"الشيخ",
    r"السيد",
    r"السيدة",
]
# Words after a cue that go on with the sentence rather than being part of the name.
NOT_NAMES = (
    "and from i im et je de y soy dan dari saya at ay taga ho hu hun hoon ra ani ebong "
    "theke و من हो हुँ र বলে এবং"
).split()
# (Not \b: Devanagari and Bengali vowel signs are not word characters to `re`.)
NAME_WORD = r"(?!(?:%s)(?=[\s,.;:!?،؛।]|$))[^\s,.;:!?،؛।]+" % "|".join(NOT_NAMES)
NAME = NAME_WORD + r"(?:\s+" + NAME_WORD + r"){0,2}"
NAME_AFTER_CUE = re.compile(r"(?i)(?<!\w)(%s)\s+(%s)" % ("|".join(NAME_CUES), NAME))
CAPITALISED = r"[A-Z\u0600-\u06ff][\w\u0600-\u06ff]*(?:\s+[A-Z]\w*)?"
NAME_AFTER_TITLE = re.compile(r"(?<!\w)((?i:%s))\.?\s+(%s)" % ("|".join(TITLES), CAPITALISED))


def strip_personal_data(text: Text) -> Text:
    text = EMAIL.sub("[email]", text)
    text = DOCUMENT_NUMBER.sub("[document number]", text)
    text = PHONE.sub(
        lambda m: "[phone]" if sum(c.isdigit() for c in m.group()) >= 7 else m.group(), text
    )
    text = NAME_AFTER_CUE.sub(lambda m: f"{m.group(1)} [name]", text)
    return NAME_AFTER_TITLE.sub(lambda m: f"{m.group(1)} [name]", text)
