"""Signs of danger now make the safety answer come first, in every language; general
questions about the same subjects do not set them off."""

import pytest

from benchmarks.danger_signals import labelled, measure
from knowledge.danger import DangerSignals
from knowledge.settings import load_settings

signals = DangerSignals.from_file(load_settings({}).danger_signals_file)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("my boss took my passport", "passport_taken"),
        ("le patron a confisqué mon passeport", "passport_taken"),
        ("me quitaron mi pasaporte en la agencia", "passport_taken"),
        ("kinuha ng amo ko ang passport ko", "passport_taken"),
        ("paspor saya ditahan majikan", "passport_taken"),
        ("الكفيل اخذ جوازي", "passport_taken"),
        ("साहुले मेरो पासपोर्ट खोसेर राखेको छ", "passport_taken"),
        ("malik amar পাসপোর্ট নিয়ে গেছে", "passport_taken"),
        ("they locked me in the room", "locked_in"),
        ("ikinulong ako ng amo ko", "locked_in"),
        ("আমাকে ঘরে আটকে রেখেছে", "locked_in"),
        ("my employer beats me", "violence"),
        ("mon mari a été tabassé par le superviseur", "violence"),
        ("يضربني الكفيل كل يوم", "violence"),
        ("sahu le kutcha", "violence"),
        ("ca fait 7 mois sans paye", "wages_withheld"),
        ("3 buwan na akong walang sweldo sa Riyadh", "wages_withheld"),
        ("sudah 4 bulan gak digaji", "wages_withheld"),
        ("४ महिनादेखि तलब दिएको छैन", "wages_withheld"),
        ("they sold me to another family", "sold_or_escaped"),
        ("ami palaisi malik er basa theke", "sold_or_escaped"),
    ],
)
def test_a_sign_of_danger_is_recognised(text, kind):
    assert signals.shown_by(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "can my employer keep my passport?",
        "el empleador tiene derecho a guardar mi pasaporte?",
        "majikan boleh gak nahan paspor pekerja?",
        "le wifi marche pas chez moi",
        "tengo derecho a atención médica si me enfermo allá?",
        "how much salary per month in Qatar?",
        "hello",
    ],
)
def test_a_general_question_is_not_a_danger_signal(text):
    assert signals.shown_by(text) is None


def test_false_alarms_stay_rare_on_every_languages_training_messages():
    for language, examples in labelled(load_settings({}).typed_examples_dir).items():
        assert measure(signals, examples, verbose=False)["false_alarm_rate"] < 0.01, language
