"""The demo's data files load, and a malformed one says which file and which key is wrong."""

import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from charte.core import roles
from charte.demo import load as demo_load
from charte.demo.load import DATA, DemoDataError, load, load_accounts
from charte.models import CharterPage


def paragraphs(iteration):
    return [
        paragraph
        for section in iteration["sections"]
        for article in section["articles"]
        for paragraph in article["paragraphs"]
    ]


def test_the_data_files_hold_the_whole_demo():
    demo = load()
    assert len(paragraphs(demo.v1)) == 40 and len(paragraphs(demo.v2)) == 41
    assert all(p["fr"] and p["en"] for p in paragraphs(demo.v1) + paragraphs(demo.v2))
    assert [p["key"] for p in paragraphs(demo.v1)] == [f"p{n}" for n in range(1, 41)]
    assert len(demo.charter["phases"]) == 5
    assert [a["status"] for a in demo.amendments_v1] == ["accepted", "accepted", "rejected"]
    assert all("status" not in a for a in demo.amendments_v2)
    assert (len(demo.comments_v1), len(demo.comments_v2)) == (6, 3)
    assert {a["side"] for a in demo.debate_arguments} == {"for", "against"}
    assert demo.debate_positions[0] == ("camille", "agree")
    accounts = demo.accounts
    assert [a.username for a in accounts.accounts] == [
        "editrice",
        "moderateur",
        "conseillere",
        "animatrice",
        "camille",
        "jules",
        "tilleuls",
        "bernard",
    ]
    assert accounts.editor.username == "editrice"
    assert load_accounts().totp_secret == accounts.totp_secret
    facilitator = next(a for a in accounts.accounts if a.username == "animatrice")
    assert facilitator.group == roles.FACILITATORS


def test_the_demo_has_two_past_workshops_on_the_first_consultation_and_one_to_come():
    port, register, upcoming = load().workshops
    assert (port["kind"], port["title"], port["iteration"]) == ("workshop", "Atelier du Port", 1)
    assert port["place"] == "Maison de quartier du Port" and port["participants"] == 18
    assert (register["kind"], register["place"]) == ("register", "Hôtel de ville, accueil")
    for past in (port, register):
        assert past["day"] < 0 and past["report"] and past["facilitators"] == ["animatrice"]
        assert past["comments"] and past["amendments"]
        assert all(a["status"] != "submitted" and a["response"] for a in past["amendments"])
    assert [a["status"] for a in port["amendments"] + register["amendments"]] == [
        "accepted",
        "rejected",
        "accepted",
    ]
    assert upcoming["iteration"] == 2 and upcoming["day"] > 0
    assert not upcoming["comments"] and not upcoming["amendments"] and "report" not in upcoming


@pytest.fixture
def data(tmp_path):
    """A copy of the data files, to break."""
    directory = tmp_path / "data"
    shutil.copytree(DATA, directory)
    return directory


def edit(directory, name, old, new):
    file = directory / name
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return file


def error_of(directory):
    with pytest.raises(DemoDataError) as raised:
        load(directory=directory)
    return str(raised.value)


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        # A missing key, deep in an iteration.
        (
            "iteration-1.toml",
            'key = "p1"\nfr = ',
            'key = "p1"\nfrench = ',
            "sections[0].articles[0].paragraphs[0].fr: missing",
        ),
        # A misspelt key is refused rather than ignored.
        ("charter.toml", "contact_email =", "contact_mail =", "contact_email: missing"),
        ("home.toml", "title.en =", "title.english =", "title.en: missing"),
        # A value of the wrong type.
        (
            "consultation-1.toml",
            "day = -70",
            'day = "-70"',
            "amendments[0].day: expected an integer, found a string",
        ),
        # A value outside its choices, or a reference to nothing.
        (
            "consultation-2.toml",
            'author = "camille"',
            'author = "camile"',
            "amendments[0].author: 'camile' is not a citizen account of accounts.toml",
        ),
        (
            "consultation-1.toml",
            'paragraph = "p19"',
            'paragraph = "p99"',
            "amendments[0].paragraph: 'p99' is not a paragraph key of iteration-1.toml",
        ),
        (
            "debate.toml",
            'side = "for"',
            'side = "pour"',
            "arguments[0].side: 'pour' is not one of: for, against",
        ),
        (
            "accounts.toml",
            'role = "moderators"',
            'role = "moderator"',
            "accounts[1].role: 'moderator' is not one of: communication_team, moderators",
        ),
        (
            "debate.toml",
            "reply_to = 0",
            "reply_to = 1",
            "comments[1].reply_to: 1 is not an index from 0 to 0",
        ),
        # Workshops: contributions on the first consultation only, by a facilitator's account.
        (
            "workshops.toml",
            'paragraph = "p22"',
            'paragraph = "p41"',
            "workshops[0].comments[0].paragraph: 'p41' is not a paragraph key of iteration-1.toml",
        ),
        (
            "workshops.toml",
            'audience = "youth"',
            'audience = "jeunes"',
            "workshops[2].audience: 'jeunes' is not one of: open, neighbourhood_council",
        ),
        (
            "workshops.toml",
            'facilitators = ["animatrice"]',
            'facilitators = ["camille"]',
            "workshops[0].facilitators[0]: 'camille' is not an account with the role facilitators",
        ),
        (
            "workshops.toml",
            "hour = 18",
            "hour = 25",
            "workshops[0].hour: 25 is not an hour from 0 to 23",
        ),
        (
            "workshops.toml",
            "iteration = 2",
            "iteration = 3",
            "workshops[2].iteration: 3 is not 1 or 2",
        ),
        # A key used twice in an iteration.
        ("iteration-2.toml", 'key = "p2"', 'key = "p1"', "paragraphs[1].key: 'p1' is already used"),
    ],
)
def test_a_malformed_data_file_names_the_file_and_the_key(data, name, old, new, expected):
    edit(data, name, old, new)
    message = error_of(data)
    assert message.startswith(f"{data / name}: ")
    assert expected in message


def test_a_file_that_is_not_toml_names_the_file_and_the_line(data):
    edit(data, "debate.toml", "opens = -10", "opens = ")
    message = error_of(data)
    assert message.startswith(f"{data / 'debate.toml'}: not valid TOML: ")
    assert "line " in message


def test_a_missing_file_is_named(data):
    (data / "consultation-2.toml").unlink()
    assert error_of(data) == f"{data / 'consultation-2.toml'}: missing file"


def test_unknown_keys_are_refused(data):
    edit(data, "consultation-2.toml", 'kind = "insert"', 'kind = "insert"\nstatut = "accepted"')
    assert error_of(data).endswith("consultation-2.toml: amendments[1].statut: unknown key")


@pytest.mark.django_db
def test_seed_demo_stops_on_malformed_data_before_writing(data, monkeypatch):
    edit(data, "iteration-2.toml", 'en = "Amended version"', "en = 3")
    monkeypatch.setattr(demo_load, "DATA", data)
    with pytest.raises(CommandError) as raised:
        call_command("seed_demo", verbosity=0)
    assert "iteration-2.toml: label.en: expected a string, found int" in str(raised.value)
    assert not CharterPage.objects.exists()
