"""The team's and the facilitators' admin of workshops: the viewset (« Ateliers et
registres »), the facilitators' entry screen, made for twenty sticky notes in a row."""

import datetime
import re

import pytest
from django.utils import timezone

from charte.core import roles
from charte.core.origins import Origin
from charte.models import Amendment, Comment, Paragraph, Workshop
from charte.workshops.services import workshop_amendment_enter, workshop_comment_enter
from tests import factories
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db

LISTING = "/admin/workshops/"


def enter_url(workshop):
    return f"/admin/workshops/{workshop.pk}/enter/"


def in_english(user):
    """The admin in English for ``user``."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


def cells(row_html):
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row_html, re.S)
    ]


def row_of(html, text):
    """The cells of the listing's row holding ``text``."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        if text in row:
            return cells(row)
    raise AssertionError(f"no row with {text!r}")


def note(opened, **fields):
    return {
        "version": opened.pk,
        "reference": "1.3",
        "kind": "comment",
        "text": "",
        "rationale": "",
        **fields,
    }


# -- The team's viewset ------------------------------------------------------------------


def test_the_team_lists_workshops_with_what_was_entered(
    client, editor, workshop, facilitator, paragraph
):
    for text in ("Plus de bancs.", "Des toilettes."):
        workshop_comment_enter(workshop=workshop, paragraph=paragraph, text=text, by=facilitator)
    workshop_amendment_enter(
        workshop=workshop, paragraph=paragraph, kind="delete", rationale="Inutile.", by=facilitator
    )
    client.force_login(editor)
    html = client.get(LISTING).content.decode()
    assert "Ateliers et registres" in html
    assert "Atelier du Port" in html and "Maison de quartier du Port" in html
    assert row_of(html, "Atelier du Port")[-4:-1] == ["18", "2", "1"]
    assert enter_url(workshop) in html
    in_english(editor)
    html = client.get(LISTING).content.decode()
    assert "Workshops and registers" in html and "Enter contributions" in html


def form_data(opened, facilitator, **overrides):
    """What the team's form submits for a workshop (no photo)."""
    data = {
        "charter": opened.get_parent().pk,
        "iteration": opened.pk,
        "debate": "",
        "kind": "workshop",
        "title": "Atelier des Minimes",
        "starts_at": "2027-03-12 18:00",
        "ends_at": "2027-03-12 20:30",
        "place": "Maison de quartier des Minimes",
        "audience": "neighbourhood_council",
        "participants": "23",
        "facilitated_by": "Service participation",
        "facilitators": [str(facilitator.pk)],
        "report": "",
        "report_document": "",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_team_creates_and_edits_a_workshop(client, editor, opened, facilitator, language):
    if language == "en":
        in_english(editor)
    client.force_login(editor)
    form = client.get(LISTING + "new/").content.decode()
    assert ("Ce qui en est ressorti" if language == "fr" else "What came out of it") in form
    response = client.post(LISTING + "new/", form_data(opened, facilitator))
    assert response.status_code == 302, response.content.decode()[:3000]
    workshop = Workshop.objects.get(title="Atelier des Minimes")
    assert list(workshop.facilitators.all()) == [facilitator]
    assert timezone.localtime(workshop.starts_at).hour == 18  # Europe/Paris, as typed
    response = client.post(
        f"{LISTING}edit/{workshop.pk}/",
        form_data(opened, facilitator, participants="31", facilitators=[]),
    )
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert (workshop.participants, list(workshop.facilitators.all())) == (31, [])


def test_the_version_and_the_facilitators_are_checked(client, editor, opened, facilitator):
    other_charter = factories.make_charter(title="Autre charte", slug="autre")
    other_version = factories.make_iteration(other_charter, title="Autre version", user=editor)
    resident = make_citizen()
    client.force_login(editor)
    form = client.get(LISTING + "new/").content.decode()
    assert f'value="{facilitator.pk}"' in form
    assert f'value="{resident.pk}"' not in form  # only accounts that may enter are offered
    response = client.post(
        LISTING + "new/",
        form_data(opened, facilitator, iteration=other_version.pk, facilitators=[resident.pk]),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choisissez une version de la charte de cet atelier." in html
    assert not Workshop.objects.exists()


def test_a_photo_needs_its_caption(client, editor, opened, facilitator):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(title="Tableau", file=get_test_image_file())
    client.force_login(editor)
    photo = {
        "images-TOTAL_FORMS": "1",
        "images-0-image": str(image.pk),
        "images-0-caption": "",
        "images-0-id": "",
        "images-0-ORDER": "1",
        "images-0-DELETE": "",
    }
    response = client.post(LISTING + "new/", form_data(opened, facilitator, **photo))
    assert response.status_code == 200
    assert "Décrivez la photo\u00a0: sa légende est son alternative textuelle." in (
        response.content.decode()
    )
    photo["images-0-caption"] = "Le tableau des propositions sur les bancs"
    response = client.post(LISTING + "new/", form_data(opened, facilitator, **photo))
    assert response.status_code == 302
    assert Workshop.objects.get().images.get().caption.startswith("Le tableau")


def test_the_listing_filters_by_kind_and_by_date(client, editor, workshop):
    register = Workshop.objects.create(
        charter=workshop.charter,
        kind="register",
        title="Registre de la mairie annexe",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        place="Mairie annexe",
    )
    client.force_login(editor)
    registers = client.get(LISTING + "?kind=register").content.decode()
    assert register.title in registers and workshop.title not in registers
    upcoming = client.get(LISTING + "?when=upcoming").content.decode()
    assert register.title in upcoming and workshop.title not in upcoming
    past = client.get(LISTING + "?when=past").content.decode()
    assert workshop.title in past and register.title not in past


def test_a_workshop_with_contributions_is_not_deleted(
    client, editor, workshop, facilitator, paragraph
):
    workshop_comment_enter(
        workshop=workshop, paragraph=paragraph, text="Des bancs.", by=facilitator
    )
    client.force_login(editor)
    for method in (client.get, client.post):
        response = method(f"{LISTING}delete/{workshop.pk}/", follow=True)
        assert response.status_code == 200
        assert "ne peut pas être supprimé" in response.content.decode()
    assert Workshop.objects.filter(pk=workshop.pk).exists()
    empty = Workshop.objects.create(
        charter=workshop.charter, title="Annulé", starts_at=timezone.now(), place="Ici"
    )
    assert client.post(f"{LISTING}delete/{empty.pk}/").status_code == 302
    assert not Workshop.objects.filter(pk=empty.pk).exists()


def test_a_facilitator_sees_only_their_workshops_and_edits_none(client, workshop, facilitator):
    other = Workshop.objects.create(
        charter=workshop.charter, title="Atelier d’ailleurs", starts_at=timezone.now(), place="Là"
    )
    client.force_login(facilitator)
    home = client.get("/admin/").content.decode()
    assert "Saisir des contributions" in home and "Ateliers et registres" not in home
    listing = client.get("/admin/workshops/enter/").content.decode()
    assert enter_url(workshop) in listing and enter_url(other) not in listing
    for address in (LISTING, f"{LISTING}edit/{workshop.pk}/", LISTING + "new/"):
        response = client.get(address)
        assert (response.status_code, response.get("Location")) == (302, "/admin/"), address
    assert client.get(enter_url(other)).status_code == 403
    assert client.get(enter_url(workshop)).status_code == 200


def test_the_entry_screen_refuses_others_with_a_clear_page(client, workshop):
    moderator = factories.UserFactory(username="modo", role=roles.MODERATORS)
    client.force_login(moderator)
    response = client.get(enter_url(workshop))
    assert response.status_code == 403
    assert "Vous n’animez pas cet atelier" in response.content.decode()
    assert client.post(enter_url(workshop), {"text": "x"}).status_code == 403
    client.force_login(make_citizen())
    response = client.get(enter_url(workshop))
    # A resident has no admin at all: sent to their profile, as everywhere in the admin.
    assert (response.status_code, response.get("Location")) == (302, "/accounts/profile/")
    assert not Comment.objects.exists()


# -- The entry screen ------------------------------------------------------------------------


def test_the_entry_screen_starts_on_the_reference(client, workshop, facilitator, opened):
    client.force_login(facilitator)
    html = client.get(enter_url(workshop)).content.decode()
    assert f'<option value="{opened.pk}" selected>' in html
    reference = re.search(r'<input type="text" name="reference"[^>]*>', html).group(0)
    assert "autofocus" in reference
    assert 'value="comment" id="id_kind_0" checked' in html
    # The keyboard path: reference, kind, text, rationale, then the button, in this order.
    positions = [
        html.index(marker)
        for marker in (
            'name="reference"',
            'name="kind"',
            'name="text"',
            'name="rationale"',
            'type="submit"',
        )
    ]
    assert positions == sorted(positions)


def test_a_comment_entered_by_reference(client, workshop, facilitator, opened):
    client.force_login(facilitator)
    response = client.post(
        enter_url(workshop), note(opened, reference="art. 1 § 3", text="Plus de bancs.")
    )
    assert response.status_code == 302
    assert "kind=comment" in response["Location"] and f"version={opened.pk}" in response["Location"]
    comment = Comment.objects.get()
    paragraph = Paragraph.objects.get(pk=comment.object_pk)
    assert (paragraph.article_number, paragraph.number) == (1, 3)
    assert (comment.origin, comment.user, comment.workshop) == (
        Origin.WORKSHOP,
        facilitator,
        workshop,
    )
    html = client.get(response["Location"]).content.decode()
    assert "Contribution n° 1 enregistrée sur l’art. 1 § 3" in html
    assert paragraph.text in html  # to check it was the right one
    assert f"#c{comment.pk}" in html
    # Empty again but for the version and the kind; the cursor back in the reference.
    assert 'name="reference" id="id_reference" value=""' in html
    assert "Plus de bancs.</textarea>" not in html
    assert "1 commentaire" in html


@pytest.mark.parametrize(
    ("kind", "text"),
    [("modify", "Une rédaction de l’atelier."), ("insert", "Un alinéa de plus."), ("delete", "")],
)
def test_each_kind_of_amendment_is_entered(client, workshop, facilitator, opened, kind, text):
    client.force_login(facilitator)
    response = client.post(
        enter_url(workshop),
        note(
            opened,
            reference="12" if False else "2",
            kind=kind,
            text=text,
            rationale="Les participants l’ont demandé.",
        ),
    )
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert (
        amendment.kind,
        amendment.text,
        amendment.origin,
        amendment.paragraph.article_number,
    ) == (kind, text, Origin.WORKSHOP, 2)
    assert f"kind={kind}" in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert f"amendement n° {amendment.number}" in html
    assert f'value="{kind}" id="id_kind_' in html and "checked" in html


def test_an_ambiguous_reference_lists_the_paragraphs(client, workshop, facilitator, opened):
    client.force_login(facilitator)
    response = client.post(enter_url(workshop), note(opened, reference="1", text="Des bancs."))
    html = response.content.decode()
    assert response.status_code == 400
    assert "5 alinéas correspondent" in html
    assert html.count('name="paragraph"') == 5
    assert "Des bancs.</textarea>" in html  # the text is kept
    chosen = Paragraph.objects.get(iteration=opened, article_number=1, number=4)
    response = client.post(
        enter_url(workshop),
        note(opened, reference="1", text="Des bancs.", paragraph=str(chosen.pk)),
    )
    assert response.status_code == 302
    assert Comment.objects.get().object_pk == str(chosen.pk)


def test_words_find_the_paragraph(client, workshop, facilitator, opened):
    client.force_login(facilitator)
    response = client.post(enter_url(workshop), note(opened, reference="alinea 6", text="Oui."))
    assert response.status_code == 302
    assert Paragraph.objects.get(pk=Comment.objects.get().object_pk).number == 1


def test_an_unknown_reference_is_refused_with_the_text_kept(client, workshop, facilitator, opened):
    client.force_login(facilitator)
    response = client.post(
        enter_url(workshop),
        note(opened, reference="art. 9 § 2", kind="modify", text="Ma rédaction", rationale=""),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Il y a un problème" in html
    assert "Aucun alinéa de cette version ne correspond à «\u00a0art. 9 § 2\u00a0»" in html
    assert 'value="art. 9 § 2"' in html and "Ma rédaction</textarea>" in html
    assert not Amendment.objects.exists()


def test_the_amendments_refusals_are_shown_per_field(client, workshop, facilitator, opened):
    client.force_login(facilitator)
    response = client.post(enter_url(workshop), note(opened, kind="modify", text="", rationale=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_text">Écrivez la rédaction que vous proposez.' in html
    assert 'href="#id_rationale">Expliquez pourquoi vous proposez cet amendement.' in html
    response = client.post(enter_url(workshop), note(opened, kind="comment", text="  "))
    assert 'href="#id_text">' in response.content.decode()
    assert not Amendment.objects.exists() and not Comment.objects.exists()


def test_a_closed_window_shows_no_form(client, workshop, facilitator, opened):
    opened.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    opened.save(update_fields=["closes_at"])
    client.force_login(facilitator)
    html = client.get(enter_url(workshop)).content.decode()
    assert "n’est ouverte à la consultation" in html
    assert 'name="reference"' not in html
    # Sent from a screen opened before it closed: refused, what was typed given back.
    response = client.post(enter_url(workshop), note(opened, text="Trop tard."))
    assert response.status_code == 400
    assert "Trop tard." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_switch_closed_meanwhile_is_refused_with_the_text_kept(
    client, workshop, facilitator, opened
):
    opened.comments_open = False
    opened.save(update_fields=["comments_open"])
    client.force_login(facilitator)
    response = client.post(enter_url(workshop), note(opened, text="Des bancs, vite."))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Il y a un problème" in html and "Des bancs, vite.</textarea>" in html
    assert not Comment.objects.exists()


def test_the_entry_screen_in_english(client, workshop, facilitator, opened):
    in_english(facilitator)
    client.force_login(facilitator)
    response = client.post(enter_url(workshop), note(opened, reference="1.2", text="More benches."))
    html = client.get(response["Location"]).content.decode()
    assert "Contribution no. 1 entered on art. 1 § 2" in html
    assert "Entered for this workshop" in html


def test_the_entry_screen_stays_quick_with_200_entries(
    client, workshop, facilitator, opened, django_assert_max_num_queries
):
    paragraphs = list(Paragraph.objects.filter(iteration=opened))
    for n in range(150):
        workshop_comment_enter(
            workshop=workshop, paragraph=paragraphs[n % 6], text=f"Note {n}", by=facilitator
        )
    for n in range(50):
        workshop_amendment_enter(
            workshop=workshop,
            paragraph=paragraphs[n % 6],
            kind="delete",
            rationale=f"R {n}",
            by=facilitator,
        )
    client.force_login(facilitator)
    client.get(enter_url(workshop))  # the session and the caches warm up
    with django_assert_max_num_queries(30):
        response = client.get(enter_url(workshop) + f"?last=c{Comment.objects.last().pk}")
    html = response.content.decode()
    assert "150 commentaires" in html and "50 amendements" in html
    assert html.count("<tr><td><a href=") == 200


# -- The amendments inbox and « download my data » -----------------------------------------


@pytest.fixture
def both_origins(workshop, facilitator, paragraph):
    """One amendment from the workshop, one proposed online."""
    from charte.amendments.services import amendment_propose

    offline = workshop_amendment_enter(
        workshop=workshop,
        paragraph=paragraph,
        kind="modify",
        text="La rédaction de l’atelier.",
        rationale="Voté à main levée.",
        by=facilitator,
    )
    online = amendment_propose(
        paragraph=paragraph, by=make_citizen(), kind="delete", rationale="Inutile en ligne."
    )
    return offline, online


def test_the_inbox_filters_and_shows_the_origin(client, editor, workshop, both_origins):
    offline, online = both_origins
    client.force_login(editor)
    html = client.get("/admin/amendments/").content.decode()
    assert row_of(html, f"/admin/amendments/edit/{offline.pk}/")[-4:-2] == [
        workshop.signature(),
        "Atelier",
    ]
    assert "En ligne" in row_of(html, f"/admin/amendments/edit/{online.pk}/")
    for query, shown, hidden in (
        ("origin=workshop", offline, online),
        ("origin=online", online, offline),
        (f"workshop={workshop.pk}", offline, online),
    ):
        html = client.get(f"/admin/amendments/?{query}").content.decode()
        assert f"/admin/amendments/edit/{shown.pk}/" in html, query
        assert f"/admin/amendments/edit/{hidden.pk}/" not in html, query
    registers = client.get("/admin/amendments/?origin=register").content.decode()
    assert f"/admin/amendments/edit/{offline.pk}/" not in registers


def test_the_team_answers_a_workshop_amendment_like_any_other(
    client, editor, workshop, both_origins, django_capture_on_commit_callbacks
):
    offline, _online = both_origins
    client.force_login(editor)
    form = client.get(f"/admin/amendments/edit/{offline.pk}/").content.decode()
    assert workshop.signature() in form and "origine\u00a0: Atelier" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/amendments/edit/{offline.pk}/",
            {"status": "accepted", "response": "Nous reprenons la rédaction de l’atelier."},
        )
    assert response.status_code == 302
    offline.refresh_from_db()
    assert (offline.status, offline.answered_by) == ("accepted", editor)


def test_the_inbox_has_no_query_per_workshop_amendment(
    client, editor, workshop, facilitator, paragraph, django_assert_max_num_queries
):
    for n in range(30):
        workshop_amendment_enter(
            workshop=workshop, paragraph=paragraph, kind="delete", rationale=f"R{n}", by=facilitator
        )
    client.force_login(editor)
    client.get("/admin/amendments/")
    with django_assert_max_num_queries(40):
        html = client.get("/admin/amendments/").content.decode()
    assert html.count(workshop.signature()) == 30 + 1  # each row, and the filter's choice


def test_the_facilitators_data_lists_what_they_entered(client, workshop, facilitator, both_origins):
    import json

    offline, _online = both_origins
    comment = workshop_comment_enter(
        workshop=workshop,
        paragraph=offline.paragraph,
        text="Des bancs.",
        by=facilitator,
    )
    client.force_login(facilitator)
    data = json.loads(client.get("/accounts/data/").content)["contributions"]
    [exported_comment] = data["comments"]
    assert (exported_comment["id"], exported_comment["text"]) == (comment.pk, "Des bancs.")
    assert exported_comment["origin"] == "workshop"
    assert exported_comment["workshop"] == workshop.signature()
    [exported_amendment] = data["amendments"]["proposed"]
    assert (exported_amendment["number"], exported_amendment["origin"]) == (
        offline.number,
        "workshop",
    )
    assert exported_amendment["workshop"] == workshop.signature()


def test_the_reference_is_previewed_as_it_is_typed(client, workshop, facilitator, opened):
    client.force_login(facilitator)
    found = client.get(enter_url(workshop), {"find": "1.3", "version": opened.pk}).json()
    assert found["sentence"].startswith("art. 1 § 3 – Alinéa 3 :")
    several = client.get(enter_url(workshop), {"find": "1", "version": opened.pk}).json()
    assert several["sentence"] == "5 alinéas correspondent\u00a0: envoyez pour choisir."
    none = client.get(enter_url(workshop), {"find": "9.9", "version": opened.pk}).json()
    assert none["sentence"] == "Aucun alinéa ne correspond."
    client.force_login(factories.UserFactory(username="autre", role=roles.FACILITATORS))
    assert client.get(enter_url(workshop), {"find": "1.3", "version": opened.pk}).status_code == 403


def test_the_inbox_spreadsheet_says_each_amendments_origin(client, editor, workshop, both_origins):
    import csv
    import io

    offline, online = both_origins
    client.force_login(editor)
    response = client.get("/admin/amendments/?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    column = rows[0].index("Origine")
    author = rows[0].index("Auteur")
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number[str(offline.number)][column] == "Atelier"
    assert by_number[str(offline.number)][author] == workshop.signature()
    assert by_number[str(online.number)][column] == "En ligne"
