"""Trustworthy profiles: the territory is picked from the charters' lists (or typed as
« other »), and an author type that speaks for an institution is shown as declared until the
team confirms it in the admin (Invariant 4: nobody obtains an official badge from a form)."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from charte.accounts.services import author_type_confirm, author_type_refuse
from charte.amendments.services import amendment_propose, amendment_support
from charte.core import roles
from charte.debates.services import argument_post, argument_report, argument_support, position_state
from charte.discussions.services import comment_post, comment_react, follow_start
from charte.models import CharterPage, Paragraph, ReviewNote, Territory
from charte.moderation.services import comment_report
from charte.texts import services
from tests import factories
from tests.accounts.test_role_audit import prefer
from tests.charte.discussions.test_comments import make_citizen
from tests.charte.texts.test_public_pages import translate

pytestmark = pytest.mark.django_db

DECLARED_FR = "Élu ou élue (déclaration non confirmée)"
DECLARED_EN = "Elected member (declared, not confirmed)"


@pytest.fixture
def opened(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    return iteration


def listed(charter, *names):
    for name in names:
        charter.territories.add(Territory(name=name))
    charter.save_revision().publish()
    return {t.name: t for t in Territory.objects.filter(charter=charter)}


def profile_data(**overrides):
    data = {
        "pseudonym": "Léa du Port",
        "author_type": "resident",
        "territory_choice": "",
        "territory": "",
        "preferred_language": "fr",
    }
    data.update(overrides)
    return data


def citizen(client, **fields):
    user = make_citizen()
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    client.force_login(user)
    return user


# -- Territories -----------------------------------------------------------------------------


def test_the_profile_offers_the_charters_list_and_other(client, charter):
    places = listed(charter, "Centre-bourg", "Le Port")
    user = citizen(client)
    html = client.get(reverse("account_profile")).content.decode()
    select = re.search(r'<select name="territory_choice".*?</select>', html, re.S).group(0)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == [
        "Non renseigné",
        "Centre-bourg",
        "Le Port",
        "Autre",
    ]
    assert "<optgroup" not in select  # one charter: its list, ungrouped
    assert 'name="territory"' in html and "Autre territoire" in html  # no JavaScript needed

    response = client.post(
        reverse("account_profile"),
        profile_data(territory_choice=str(places["Le Port"].pk), territory="ignored"),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.listed_territory, user.territory) == (places["Le Port"], "")

    client.post(reverse("account_profile"), profile_data(territory_choice="other", territory="Ici"))
    user.refresh_from_db()
    assert (user.listed_territory, user.territory) == (None, "Ici")


def test_with_two_charters_the_lists_are_grouped_by_charter(client, charter, editor):
    listed(charter, "Le Port")
    other = factories.make_charter(title="Projet de territoire", slug="projet", user=editor)
    listed(other, "Lavandes-le-Haut", "Lavandes-le-Bas")
    citizen(client)
    html = client.get(reverse("account_profile")).content.decode()
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', html, re.S)
    assert [(label, re.findall(r">([^<]+)</option>", body)) for label, body in groups] == [
        ("Charte de test", ["Le Port"]),
        ("Projet de territoire", ["Lavandes-le-Haut", "Lavandes-le-Bas"]),
    ]


def test_other_without_a_name_is_refused_in_the_users_language_keeping_what_was_typed(
    client, charter
):
    listed(charter, "Le Port")
    citizen(client)
    data = profile_data(pseudonym="Léa des Quais", territory_choice="other")
    response = client.post(reverse("account_profile"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez votre quartier ou votre commune, ou choisissez-en un dans la liste." in html
    assert 'href="#id_territory"' in html  # the error summary leads to the text box
    assert 'value="Léa des Quais"' in html
    with translation.override("en"):
        response = client.post("/en/accounts/profile/", data)
    assert "Type your neighbourhood or town, or choose one from the list." in (
        response.content.decode()
    )


def test_a_legacy_free_text_territory_is_kept_as_other_and_linked_when_listed(client, charter):
    user = citizen(client, territory="le  Pôrt")
    html = client.get(reverse("account_profile")).content.decode()
    assert re.search(r'<option value="other" selected>Autre</option>', html)
    assert 'value="le  Pôrt"' in html
    # The team adds « Le Port » to the charter's list: the profile is linked, its text kept.
    places = listed(charter, "Le Port")
    user.refresh_from_db()
    assert (user.listed_territory, user.territory) == (places["Le Port"], "le  Pôrt")
    html = client.get(reverse("account_profile")).content.decode()
    assert re.search(rf'<option value="{places["Le Port"].pk}" selected>Le Port</option>', html)


def test_a_territory_of_an_unpublished_charter_stays_until_another_is_chosen(
    client, charter, editor
):
    places = listed(charter, "Le Port")
    user = citizen(client, listed_territory=places["Le Port"])
    CharterPage.objects.get(pk=charter.pk).unpublish()
    html = client.get(reverse("account_profile")).content.decode()
    assert re.search(rf'<option value="{places["Le Port"].pk}" selected>Le Port</option>', html)
    response = client.post(
        reverse("account_profile"),
        profile_data(pseudonym="Léa", territory_choice=str(places["Le Port"].pk)),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.pseudonym, user.listed_territory) == ("Léa", places["Le Port"])


def test_a_territory_removed_from_the_list_stays_as_typed_text(client, charter):
    places = listed(charter, "Le Port", "Centre-bourg")
    user = citizen(client, listed_territory=places["Le Port"])
    places["Le Port"].delete()
    user.refresh_from_db()
    assert (user.listed_territory, user.territory) == (None, "Le Port")


def test_typing_without_choosing_other_keeps_what_was_typed(client):
    user = citizen(client)
    client.post(reverse("account_profile"), profile_data(territory="Saint-Test"))
    user.refresh_from_db()
    assert (user.listed_territory, user.territory) == (None, "Saint-Test")


# -- Author types that speak for an institution ---------------------------------------------


def test_changing_ones_author_type_resets_the_confirmation(client, editor):
    user = citizen(client, author_type="elected_member")
    author_type_confirm(user=user, by=editor)
    client.post(reverse("account_profile"), profile_data(author_type="elected_member"))
    user.refresh_from_db()
    assert user.author_type_confirmed_at is not None  # unchanged: still confirmed
    client.post(reverse("account_profile"), profile_data(author_type="municipal_agent"))
    user.refresh_from_db()
    assert (user.author_type_confirmed_at, user.author_type_confirmed_by) == (None, None)
    assert user.author_type_label == "Agent de la collectivité (déclaration non confirmée)"
    html = client.get(reverse("account_profile")).content.decode()
    assert "affiché comme déclaré, non confirmé, jusqu’à ce que l’équipe le confirme" in html


def test_the_form_cannot_confirm_an_author_type(client):
    user = citizen(client)
    client.post(
        reverse("account_profile"),
        profile_data(author_type="elected_member", author_type_confirmed_at="2026-01-01"),
    )
    user.refresh_from_db()
    assert user.author_type == "elected_member" and user.author_type_confirmed_at is None


def test_the_declared_badge_on_public_pages_until_confirmed_in_the_admin(
    client, opened, charter, editor, english
):
    paragraph = Paragraph.objects.filter(iteration=opened).order_by("position").first()
    elected = make_citizen("elu", "Bernard")
    elected.author_type = "elected_member"
    elected.save()
    amendment = amendment_propose(
        paragraph=paragraph, by=elected, kind="modify", text="Un texte.", rationale="Parce que."
    )
    comment_post(paragraph=paragraph, by=elected, text="Mon avis d’élu.")
    debate = factories.make_debate(charter, user=editor)
    argument = argument_post(debate=debate, by=elected, side="for", title="Oui", text="Car.")
    pages = [
        amendment.get_url(),
        f"{opened.url}p/{paragraph.key}/",
        f"{opened.url}amendments/",
        debate.url,
        argument.get_url(),
    ]
    for address in pages:
        html = client.get(address).content.decode()
        assert f"({DECLARED_FR})" in html, address
    in_english = translate(opened, english)
    html = client.get(f"{in_english.url}p/{paragraph.key}/").content.decode()
    assert f"Bernard</strong> ({DECLARED_EN})" in html

    # Confirmed in the admin by the team.
    client.force_login(editor)
    response = client.post(
        reverse("charte_author_types"), {"user": elected.pk, "action": "confirm"}
    )
    assert response.status_code == 302
    client.logout()
    for address in pages:
        html = client.get(address).content.decode()
        assert DECLARED_FR not in html, address
        assert "(Élu ou élue)" in html, address


def test_the_confirmation_screen_lists_declarations_and_is_for_moderators_only(client, editor):
    declared = make_citizen("elu", "Bernard")
    declared.author_type = "elected_member"
    declared.save()
    association = make_citizen("asso", "Association du Port")
    association.author_type = "association"
    association.save()
    make_citizen("habitante", "Habitante")  # a resident awaits nothing

    resident = make_citizen("c", "C")
    client.force_login(resident)
    response = client.get(reverse("charte_author_types"))
    assert (response.status_code, response.get("Location")) == (302, "/accounts/profile/")
    # In the admin but not a moderator (say, a translator): refused.
    translator = factories.UserFactory(username="traductrice")
    translator.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    TOTP.activate(translator, factories.TOTP_SECRET)
    client.force_login(translator)
    response = client.get(reverse("charte_author_types"))
    assert (response.status_code, response.get("Location")) == (302, "/admin/")  # Wagtail's way
    assert reverse("charte_author_types") not in client.get("/admin/").content.decode()
    moderator = factories.UserFactory(username="modo", role=roles.MODERATORS)
    client.force_login(moderator)
    html = client.get(reverse("charte_author_types")).content.decode()
    assert "2 déclarations attendent une décision" in html
    assert "Bernard – Élu ou élue" in html and "Association du Port – Association" in html
    assert "Habitante" not in html
    assert reverse("charte_author_types") in client.get("/admin/").content.decode()  # menu

    # Refusing needs a reason; the refusal is shown to the person.
    response = client.post(
        reverse("charte_author_types"), {"user": declared.pk, "action": "refuse", "reason": ""}
    )
    assert "Dites pourquoi le type d’auteur est refusé." in response.content.decode()
    client.post(
        reverse("charte_author_types"),
        {"user": declared.pk, "action": "refuse", "reason": "Absent de la liste du conseil"},
    )
    client.post(reverse("charte_author_types"), {"user": association.pk, "action": "confirm"})
    html = client.get(reverse("charte_author_types")).content.decode()
    assert "Aucune déclaration n’attend de décision." in html
    declared.refresh_from_db()
    association.refresh_from_db()
    assert declared.author_type_refusal == "Absent de la liste du conseil"
    assert declared.author_type_label == DECLARED_FR  # still shown as declared
    assert (association.author_type_confirmed_by, association.author_type_label) == (
        moderator,
        "Association",
    )
    client.force_login(declared)
    html = client.get(reverse("account_profile")).content.decode()
    assert "L’équipe n’a pas confirmé" in html and "Absent de la liste du conseil" in html

    # Audited like role changes: who, when, what, in Wagtail's site history.
    entries = ModelLogEntry.objects.filter(action__startswith="charte.author_type.")
    assert sorted((e.action, e.user_id, e.object_id) for e in entries) == [
        ("charte.author_type.confirm", moderator.pk, str(association.pk)),
        ("charte.author_type.refuse", moderator.pk, str(declared.pk)),
    ]
    superuser = factories.UserFactory(
        username="root", is_superuser=True, is_staff=True, role=roles.COMMUNICATION_TEAM
    )
    prefer(superuser, "fr")
    client.force_login(superuser)
    html = client.get("/admin/reports/site-history/").content.decode()
    assert "Type d’auteur confirmé\u00a0: Association" in html
    assert "Type d’auteur refusé\u00a0: Élu ou élue (Absent de la liste du conseil)" in html
    prefer(superuser, "en")
    html = client.get("/admin/reports/site-history/").content.decode()
    assert "Author type confirmed: Association" in html


def test_the_confirmation_screen_reads_a_bounded_number_of_queries(
    client, editor, django_assert_max_num_queries
):
    for n in range(40):
        declared = make_citizen(f"elu{n}", f"Élu {n}")
        declared.author_type = "elected_member"
        declared.save()
    client.force_login(editor)
    client.get(reverse("charte_author_types"))  # the admin's own caches warmed
    with django_assert_max_num_queries(25):
        html = client.get(reverse("charte_author_types")).content.decode()
    assert html.count('name="action" value="confirm"') == 40


# -- « Download my data » -------------------------------------------------------------------


def test_download_my_data_has_every_kind_of_activity(client, opened, charter, editor):
    places = listed(charter, "Le Port")
    paragraph = Paragraph.objects.filter(iteration=opened).order_by("position").first()
    lea = make_citizen()
    lea.author_type, lea.listed_territory = "elected_member", places["Le Port"]
    lea.save()
    author_type_confirm(user=lea, by=editor)
    other = make_citizen("marc", "Marc")
    theirs = comment_post(paragraph=paragraph, by=other, text="Le commentaire de Marc.")
    their_amendment = amendment_propose(
        paragraph=paragraph, by=other, kind="modify", text="Texte de Marc.", rationale="Car."
    )
    comment_post(paragraph=paragraph, by=lea, text="Mon commentaire.")
    comment_react(comment=theirs, by=lea, reaction="agree")
    comment_report(comment=theirs, by=lea, reason="insult")
    follow_start(target=their_amendment, by=lea)
    amendment_propose(
        paragraph=paragraph, by=lea, kind="modify", text="Mon texte.", rationale="Mes raisons."
    )
    amendment_support(amendment=their_amendment, by=lea, value="mixed")
    debate = factories.make_debate(charter, user=editor)
    argument_post(debate=debate, by=lea, side="for", title="Mon argument", text="Car.")
    their_argument = argument_post(
        debate=debate, by=other, side="against", title="Contre", text="Non."
    )
    argument_support(argument=their_argument, by=lea)
    argument_report(argument=their_argument, by=lea, reason="insult")
    position_state(debate=debate, by=lea, value="agree")
    ReviewNote.objects.create(paragraph=paragraph, author=lea, text="Ma note de relecture.")
    EmailAddress.objects.filter(user=lea).update(verified=True)
    client.force_login(lea)

    data = json.loads(client.get(reverse("account_data")).content)
    account = data["account"]
    assert account["author_type"] == "elected_member"
    assert account["author_type_confirmation"]["state"] == "confirmed"
    assert account["territory"] == {
        "listed": {"name": "Le Port", "charter": "Charte de test"},
        "other": "",
    }
    done = data["contributions"]
    assert [c["text"] for c in done["comments"]] == ["Mon commentaire."]
    assert [r["reaction"] for r in done["discussions"]["reactions"]] == ["agree"]
    # Followed: what they wrote (followed on posting) and the amendment they chose to follow.
    followed = [f["address"] for f in done["discussions"]["followed_discussions"]]
    assert their_amendment.get_url() in followed
    assert [r["reason"] for r in done["reports"]] == ["insult"]
    assert [a["text"] for a in done["amendments"]["proposed"]] == ["Mon texte."]
    assert [p["position"] for p in done["amendments"]["positions"]] == ["mixed"]
    assert [a["title"] for a in done["debates"]["arguments"]] == ["Mon argument"]
    assert done["debates"]["supported"] == [their_argument.get_url()]
    assert [p["position"] for p in done["debates"]["positions"]] == ["agree"]
    assert [r["reason"] for r in done["debates"]["reported"]] == ["insult"]
    assert [n["text"] for n in done["review_notes"]] == ["Ma note de relecture."]


def test_download_my_data_tells_a_declared_or_refused_author_type(client, editor):
    lea = citizen(client, author_type="association", territory="Hors commune")
    data = json.loads(client.get(reverse("account_data")).content)
    assert data["account"]["author_type_confirmation"] == {"state": "declared"}
    assert data["account"]["territory"] == {"listed": None, "other": "Hors commune"}
    author_type_refuse(user=lea, by=editor, reason="Inconnue en préfecture")
    data = json.loads(client.get(reverse("account_data")).content)
    refusal = data["account"]["author_type_confirmation"]
    assert (refusal["state"], refusal["reason"]) == ("refused", "Inconnue en préfecture")
