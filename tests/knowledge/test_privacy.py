"""What is stripped from a question before it is stored for staff (knowledge/privacy.py)."""

import pytest

from knowledge.privacy import strip_personal_data


@pytest.mark.parametrize(
    "text, stored",
    [
        ("my name is Ram Bahadur Thapa, I work in Qatar", "my name is [name], I work in Qatar"),
        ("my name is ram and i want to go", "my name is [name] and i want to go"),
        (
            "je m'appelle Marie, je veux partir au Canada",
            "je m'appelle [name], je veux partir au Canada",
        ),
        ("me llamo José Luis y quiero ir a España", "me llamo [name] y quiero ir a España"),
        ("mero naam Sita ho, Qatar jana lageko", "mero naam [name] ho, Qatar jana lageko"),
        ("मेरो नाम सीता हो", "मेरो नाम [name] हो"),
        ("আমার নাম রহিম, আমি সৌদি যাব", "আমার নাম [name], আমি সৌদি যাব"),
        ("اسمي محمد، أريد العمل في السعودية", "اسمي [name]، أريد العمل في السعودية"),
        ("ako si Maria, taga Batangas", "ako si [name], taga Batangas"),
        ("nama saya Siti dari Jawa", "nama saya [name] dari Jawa"),
        ("my employer is Al Futtaim from Dubai", "my employer is [name] from Dubai"),
        ("Ibu Sari said the fee is 5 juta", "Ibu [name] said the fee is 5 juta"),
        ("Mr. Khalid Ahmed took my passport", "Mr [name] took my passport"),
        ("passport no P1234567 kept by agent", "passport no [document number] kept by agent"),
        ("call me at +977 981-234-5678 or sita@mail.example", "call me at [phone] or [email]"),
    ],
)
def test_names_numbers_and_addresses_are_stripped(text, stored):
    assert strip_personal_data(text) == stored


@pytest.mark.parametrize(
    "text",
    [
        "agency in Saudi Arabia wants 150000 rupees",
        "Is the POEA fee for Hong Kong 10 percent?",
        "kati paisa lagchha Malaysia jana",
        "I am from Nepal and I work in Dubai",
        "What does ILO C181 say about fees?",
    ],
)
def test_countries_agencies_and_amounts_stay(text):
    assert strip_personal_data(text) == text
