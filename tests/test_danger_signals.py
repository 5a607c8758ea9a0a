"""Signs of danger now make the safety answer come first, in every language; general
questions about the same subjects do not set them off."""

from pathlib import Path

import pytest
import yaml

from benchmarks.danger_signals import labelled, measure
from knowledge.danger import DangerSignals
from knowledge.settings import load_settings

signals = DangerSignals.from_file(load_settings({}).danger_signals_file)
# Per language, messages written by native speakers: danger now to catch, near misses not.
EXAMPLES = {
    path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
    for path in sorted((Path(__file__).parent / "danger").glob("*.yml"))
}


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
        ("انا ما في اطلع برا، المدام بتسكر الباب دايما", "locked_in"),
        ("sahu le kutcha", "violence"),
        ("ca fait 7 mois sans paye", "wages_withheld"),
        ("3 buwan na akong walang sweldo sa Riyadh", "wages_withheld"),
        ("sudah 4 bulan gak digaji", "wages_withheld"),
        ("kalo target gak nyampe kami disetrum sama bosnya", "violence"),
        ("४ महिनादेखि तलब दिएको छैन", "wages_withheld"),
        ("they sold me to another family", "sold_or_escaped"),
        ("ami palaisi malik er basa theke", "sold_or_escaped"),
        ("company r foreman roj marto, haat e ekhono betha", "violence"),
        ("malik amar bon ke pitaise, ekhon o kanna korche", "violence"),
        ("ম্যাডাম কাল রাতে আবার পিটাইছে", "violence"),
        ("malik ko bhai raati mero kotha ma chhirna khojchha, dar lagcha", "violence"),
        ("राति मालिक मेरो कोठामा पस्न खोज्छ, धेरै डर लाग्छ", "violence"),
        ("mi sobrina dice que la tienen en un cuarto y no la dejan salir ni llamar", "locked_in"),
        ("a mi tia le quitaron el celular y ya casi no puede llamarnos", "locked_in"),
        ("ma cousine ne donne plus de nouvelles, ils lui ont confisque son telephone", "locked_in"),
        ("madame m'a pris mon portable, j'arrive pas a appeler mes enfants", "locked_in"),
        ("hp kakak saya selalu disita majikannya", "locked_in"),
        ("majikan ambil hp aku, gak bisa hubungi keluarga", "locked_in"),
        ("she takes my phone every night and i cant call my kids", "locked_in"),
        ("her phone was confiscated and she stopped answering", "locked_in"),
        ("kinuha ng amo ang cellphone ko, hindi ako makatawag kay nanay", "locked_in"),
        ("مش بيخلوني اكلم اهلي خالص", "locked_in"),
        ("মালিক বাড়িতে ফোন করতেও দেয় না", "locked_in"),
        ("my cousin in oman is being abused by her employer", "violence"),
        ("the agent left me at the airport and switched off his phone", "stranded"),
        ("me quedé tirado en el aeropuerto de Toronto sin dinero", "stranded"),
        ("এজেন্সি আমাকে দুবাই এয়ারপোর্টে ফেলে চলে গেছে, কিছু নাই কাছে", "stranded"),
        ("iniwan kami ng agency sa airport ng riyadh", "stranded"),
        ("ung anak ni madam pumapasok sa kwarto ko pag tulog na sila, wla lock", "violence"),
        ("kagabi hinawakan nya ko, takot na takot ako", "violence"),
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
        "can my employer take my phone?",
        "what if my boss hits me?",
        "what if a worker is abused by the employer?",
        "my flight was stuck in the airport for 3 hours",
        "can the madam keep my phone and not let me call my family?",
        "my son always takes my phone and i cant text anyone",
        "le patron peut me prendre mon portable ?",
        "si el patron me quita el celular y no me deja llamar, es legal?",
        "pwede bang kunin ng amo ang cellphone ko?",
        "apakah majikan boleh menyita hp pekerja?",
        "hp saya diambil majikan",
        "jodi malik mare tahole ki korbo?",
        "malik marto na, bhalo manush chilo",
        "comment ca marche ici ?",
        "mero kotha ma raati musa pasyo",
        "هل يحق للكفيل ما يخليني اكلم اهلي؟",
    ],
)
def test_a_general_question_is_not_a_danger_signal(text):
    assert signals.shown_by(text) is None


def test_false_alarms_stay_rare_on_every_languages_training_messages():
    for language, examples in labelled(load_settings({}).typed_examples_dir).items():
        assert measure(signals, examples, verbose=False)["false_alarm_rate"] < 0.01, language


# The kinds these examples were written for; the older ones still take some of their
# near misses ("what if my employer doesn't give me food") for danger: recall comes first.
NEWER_KINDS = ("no_food", "danger_now", "held_for_money", "intrusion_at_night", "thrown_out")
newer = DangerSignals([s for s in signals.signals if s.kind in NEWER_KINDS])
OLDER_FALSE_ALARMS = 0.10  # measured: 0-9% (en highest), Dec 8


@pytest.mark.parametrize("language", sorted(EXAMPLES))
def test_each_languages_danger_examples_are_caught_and_near_misses_are_not(language):
    examples = EXAMPLES[language]
    assert not [t for t in examples["caught"] if not signals.shown_by(t)]
    assert not [(t, newer.shown_by(t)) for t in examples["not_caught"] if newer.shown_by(t)]
    older = [t for t in examples["not_caught"] if signals.shown_by(t)]
    assert len(older) <= OLDER_FALSE_ALARMS * len(examples["not_caught"]), older
