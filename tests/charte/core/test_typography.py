"""Text that enters a version is put into French typography, without touching its words,
addresses, e-mail addresses, times or code."""

import itertools
import random
import re

import pytest

from charte.core.typography import NBSP, NNBSP, french

WORDS = [
    "l'article",
    "aujourd'hui",
    "la commune",
    "s'engage",
    "Qu'en",
    "pensez-vous",
    "« déjà » ",
    '"entre guillemets"',
    "<< chevrons >>",
    "oui ;",
    "non:",
    "vraiment?",
    "bien!",
    "à 10:30",
    "le ratio 1:2",
    "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000?x=1;y=2",
    "www.ville.fr/page",
    "mairie@ville.fr",
    "`a;b:c`",
    "œuvre",
    "—",
    "  ",
    "Titre\u00a0:",
    "10\u202f%",
]


def samples(count=400):
    generator = random.Random(15)
    for _ in range(count):
        yield " ".join(generator.choice(WORDS) for _ in range(generator.randint(1, 9)))


def letters(text):
    """The words of a text: everything but spaces and quotation marks."""
    return re.sub(rf"[\s{NBSP}{NNBSP}\"«»<>'’]", "", text)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("L'article s'applique", "L’article s’applique"),
        ('Il dit "bonjour" ici', f"Il dit «{NBSP}bonjour{NBSP}» ici"),
        ("Il dit << bonjour >> ici", f"Il dit «{NBSP}bonjour{NBSP}» ici"),
        ("Il dit «bonjour» ici", f"Il dit «{NBSP}bonjour{NBSP}» ici"),
        (
            "Oui; non: peut-être? Jamais!",
            f"Oui{NNBSP}; non{NNBSP}: peut-être{NNBSP}? Jamais{NNBSP}!",
        ),
        ("Vraiment ?!", f"Vraiment{NNBSP}?!"),
        ("deux  espaces   ici", "deux espaces ici"),
        ("Réunion à 10:30 en mairie", "Réunion à 10:30 en mairie"),
        ("Voir https://ex.fr/a?b=1;c=d:e", "Voir https://ex.fr/a?b=1;c=d:e"),
        ("Écrire à mairie@ville.fr: merci", f"Écrire à mairie@ville.fr{NNBSP}: merci"),
        ("Le code `x;y:z` reste", "Le code `x;y:z` reste"),
        (f"Note{NBSP}: gardée", f"Note{NBSP}: gardée"),
    ],
)
def test_typed_text_gets_french_typography(typed, expected):
    assert french(typed) == expected


def test_text_already_in_french_typography_is_kept_byte_for_byte():
    correct = (
        f"L’œuvre «{NBSP}commune{NBSP}» — voir l’article 3{NNBSP}; elle s’applique{NNBSP}! "
        f"Qui{NNBSP}? Tous{NBSP}: 10{NNBSP}% à 18{NBSP}h."
    )
    assert french(correct) == correct


def test_french_is_idempotent_and_keeps_every_word():
    for text in samples():
        once = french(text)
        assert french(once) == once, text
        assert letters(once) == letters(text), text


def test_addresses_times_and_code_are_never_touched():
    protected = [w for w in WORDS if re.search(r"://|www\.|@|\d:\d|`", w)]
    for text, piece in itertools.product(samples(200), protected):
        assert piece in french(f"{text} {piece} {text}")


def test_no_straight_quote_nor_double_space_is_left():
    for text in samples():
        result = french(text)
        outside = re.sub(r"https?://\S+|`[^`]*`", "", result)
        assert "'" not in outside and '"' not in outside and "<<" not in outside
        assert "  " not in result.strip()
        for mark in ";!?":
            for found in re.finditer(re.escape(mark), outside):
                before = outside[found.start() - 1] if found.start() else ""
                assert before in (NNBSP, NBSP, "", "?", "!", ";", ":"), result
