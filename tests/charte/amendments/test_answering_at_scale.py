"""Answering at scale: amendments grouped by paragraph with their near-duplicates, one reasoned
answer for a group, assignment to a service or a person, draft answers that someone allowed
validates before they are public and e-mailed, and the inbox's filters and query budget."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from charte.amendments.queries import (
    awaiting_answer,
    drafts_awaiting_validation,
    paragraph_groups,
    similarity,
    unanswered_amendments,
)
from charte.amendments.services import (
    ACTION_ANSWER,
    AmendmentRefused,
    amendment_answer,
    amendment_answer_draft,
    amendment_answer_validate,
    amendment_assign,
    amendment_propose,
    amendments_answer_group,
)
from charte.core import rules
from charte.models import Amendment, Service
from tests import factories
from tests.charte.discussions.test_comments import make_citizen
from tests.worker import work

pytestmark = pytest.mark.django_db

INBOX = "/admin/amendments/"
BIKES = "Les pistes cyclables sont prolongées jusqu'au port et sécurisées la nuit."
BIKES_AGAIN = "Les pistes cyclables sont prolongées jusqu'au port, et éclairées la nuit."
OTHER = "Un conseil de quartier est créé dans chaque commune associée."


def admin_in(client, user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


@pytest.fixture
def agent(db):
    """A member of a service who may answer in the inbox but not validate answers."""
    group = Group.objects.create(name="Direction de l'urbanisme")
    for perm in (rules.ACCESS_ADMIN, rules.ANSWER_AMENDMENT):
        app_label, codename = perm.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return factories.UserFactory(username="agent", role=group.name)


@pytest.fixture
def three(opened, paragraph):
    """Two near-duplicates and a different proposal on one paragraph, by three citizens."""
    people = [make_citizen(), make_citizen("sam", "Sam"), make_citizen("ali", "Ali")]
    return [
        amendment_propose(paragraph=paragraph, by=person, kind="modify", text=text, rationale="R")
        for person, text in zip(people, (BIKES, BIKES_AGAIN, OTHER), strict=True)
    ]


def test_near_duplicates_are_found_among_the_amendments_of_a_paragraph(three):
    first, second, other = three
    assert similarity(first, second) >= 0.6
    assert similarity(first, other) < 0.6
    groups = paragraph_groups(three)
    assert groups[first.pk]["count"] == 3
    assert groups[first.pk]["similar"] == [second]
    assert groups[other.pk]["similar"] == []


@pytest.mark.parametrize(
    "language, count, similar",
    [("fr", "3 sur ce paragraphe", "semblables\u00a0:"), ("en", "3 on this paragraph", "similar:")],
)
def test_the_inbox_groups_a_paragraph_and_suggests_similar_ones(
    client, editor, three, language, count, similar
):
    first, second, _other = three
    html = admin_in(client, editor, language).get(INBOX).content.decode()
    assert count in html
    assert f'{similar} <a href="/admin/amendments/edit/{second.pk}/">' in html
    assert f"/admin/amendments/group/{first.paragraph_id}/?with={first.pk}" in html


def test_the_group_form_checks_the_similar_ones(client, editor, three):
    first, second, other = three
    html = (
        admin_in(client, editor, "fr")
        .get(f"{INBOX}group/{first.paragraph_id}/?with={first.pk}")
        .content.decode()
    )
    assert f'value="{first.pk}" id="amendment-{first.pk}" checked' in html
    assert f'value="{second.pk}" id="amendment-{second.pk}" checked' in html
    assert f'value="{other.pk}" id="amendment-{other.pk}">' in html
    assert "Répondre aux amendements cochés" in html


def test_a_group_answer_goes_on_each_amendment_its_page_and_its_authors_mail(
    client, editor, three, django_capture_on_commit_callbacks
):
    first, second, other = three
    reasons = "La piste sera prolongée et éclairée en 2027."
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_in(client, editor, "fr").post(
            f"{INBOX}group/{first.paragraph_id}/",
            {
                "amendments": [first.pk, second.pk],
                "status": "accepted",
                "response": reasons,
                "publish": "1",
            },
        )
    assert response.status_code == 302
    for amendment in (first, second):
        amendment.refresh_from_db()
        assert (amendment.status, amendment.response, amendment.answered_by) == (
            "accepted",
            reasons,
            editor,
        )
        assert reasons in client.get(amendment.get_url()).content.decode()
    other.refresh_from_db()
    assert other.status == "submitted"
    # Audited like a single answer: one entry in each amendment's history.
    logged = ModelLogEntry.objects.filter(action=ACTION_ANSWER, user=editor)
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(
        [str(first.pk), str(second.pk)]
    )
    history = client.get(f"{INBOX}history/{first.pk}/").content.decode()
    assert "Amendement répondu" in history
    assert mail.outbox == []
    work()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.author.email, second.author.email])
    assert all(reasons in m.body for m in mail.outbox)


@pytest.mark.parametrize(
    "language, error",
    [
        ("fr", "Cochez les amendements auxquels s’adresse cette réponse."),
        ("en", "Choose the amendments this answer is for."),
    ],
)
def test_a_refused_group_answer_keeps_the_reasons(client, editor, three, language, error):
    first = three[0]
    response = admin_in(client, editor, language).post(
        f"{INBOX}group/{first.paragraph_id}/",
        {"status": "accepted", "response": "Mes motifs tapés", "publish": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert error in html
    assert "Mes motifs tapés</textarea>" in html
    assert Amendment.objects.filter(status="submitted").count() == 3


def test_a_group_is_all_or_nothing(editor, three):
    first, second, _other = three
    amendment_answer(amendment=second, status="rejected", response="Non", by=editor)
    with pytest.raises(AmendmentRefused, match=f"{second.number}"):
        amendments_answer_group(
            amendments=[first, second], status="accepted", response="Oui", by=editor
        )
    first.refresh_from_db()
    assert first.status == "submitted"


def test_a_draft_is_neither_public_nor_mailed_until_validated(
    client, editor, agent, three, django_capture_on_commit_callbacks
):
    first = three[0]
    reasons = "Nous proposons de la retenir telle quelle."
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_in(client, agent, "fr").post(
            f"{INBOX}edit/{first.pk}/", {"status": "accepted", "response": reasons}
        )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.draft_status, first.drafted_by) == ("submitted", "accepted", agent)
    assert first in drafts_awaiting_validation()
    assert first not in awaiting_answer()
    # A draft is no answer: the adoption still waits for it (DESIGN §3.7).
    assert first in unanswered_amendments(first.charter)
    client.logout()
    assert reasons not in client.get(first.get_url()).content.decode()
    work()
    assert mail.outbox == []

    # The agent may not validate: the admin says so, nothing is published.
    admin_in(client, agent, "fr")
    refused = client.post(f"{INBOX}validate/{first.pk}/", follow=True)
    assert refused.status_code == 200
    assert "Seules les personnes habilitées à valider les réponses les publient" in (
        refused.content.decode()
    )
    first.refresh_from_db()
    assert first.status == "submitted"

    # Someone allowed validates it as written: public, then e-mailed through the worker.
    form = admin_in(client, editor, "en").get(f"{INBOX}edit/{first.pk}/").content.decode()
    assert "Validate and publish this draft as written" in form
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{INBOX}validate/{first.pk}/")
    first.refresh_from_db()
    assert (first.status, first.response, first.answered_by, first.validated_by) == (
        "accepted",
        reasons,
        agent,
        editor,
    )
    assert first not in unanswered_amendments(first.charter)
    client.logout()
    assert reasons in client.get(first.get_url()).content.decode()
    work()
    assert [m.to for m in mail.outbox] == [[first.author.email]]


def test_without_the_permission_a_group_answer_is_a_draft(agent, three):
    with pytest.raises(AmendmentRefused):
        amendments_answer_group(
            amendments=three[:2], status="rejected", response="Non", by=agent, publish=True
        )
    drafted = amendments_answer_group(
        amendments=three[:2], status="rejected", response="Non", by=agent, publish=False
    )
    assert {a.draft_status for a in drafted} == {"rejected"}
    assert not Amendment.objects.filter(status="rejected").exists()


def test_filters_by_assignee_service_and_answer_state(client, editor, agent, three):
    first, second, other = three
    urbanisme = Service.objects.create(name="Direction de l'urbanisme")
    amendment_assign(amendment=first, service=urbanisme, assignee=agent, by=editor)
    amendment_answer_draft(amendment=second, status="accepted", response="Oui", by=agent)
    amendment_answer(amendment=other, status="rejected", response="Non", by=editor)
    admin_in(client, editor, "fr")

    def listed(query):
        rows = client.get(INBOX + query).content.decode().split("<tr")[1:]
        first_links = {
            row.split("/admin/amendments/edit/", 1)[1].split("/")[0]
            for row in rows
            if "/admin/amendments/edit/" in row
        }
        return {a.number for a in three if str(a.pk) in first_links}

    assert listed(f"?assignee={agent.pk}") == {first.number}
    assert listed(f"?service={urbanisme.pk}") == {first.number}
    assert listed("?answer_state=none") == {first.number}
    assert listed("?answer_state=draft") == {second.number}
    assert listed("?answer_state=published") == {other.number}
    html = client.get(INBOX).content.decode()
    assert "Brouillon à valider (Accepté)" in html
    assert "Direction de l&#x27;urbanisme · agent" in html


def test_assigning_through_the_answer_form(client, editor, agent, three):
    first = three[0]
    service = Service.objects.create(name="Service démocratie locale")
    response = admin_in(client, editor, "en").post(
        f"{INBOX}edit/{first.pk}/", {"service": service.pk, "assignee": agent.pk}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.service, first.assignee, first.status) == (service, agent, "submitted")
    citizen = make_citizen("zoe", "Zoé")
    with pytest.raises(AmendmentRefused):
        amendment_assign(amendment=first, service=None, assignee=citizen, by=editor)


def test_the_services_are_managed_by_the_team(client, editor):
    admin_in(client, editor, "fr")
    response = client.post("/admin/amendment_services/new/", {"name": "Service démocratie locale"})
    assert response.status_code == 302
    assert Service.objects.filter(name="Service démocratie locale").exists()
    assert "Service démocratie locale" in client.get("/admin/amendment_services/").content.decode()


def make_many(paragraph, count):
    author = factories.UserFactory(username=f"many{Amendment.objects.count()}")
    now = timezone.now()
    Amendment.objects.bulk_create(
        Amendment(
            paragraph=paragraph,
            iteration=paragraph.iteration,
            charter=paragraph.iteration.get_parent().specific,
            number=100 + n,
            kind="modify",
            text=f"{BIKES} Variante {n % 7}.",
            rationale="R",
            author=author,
            created_at=now,
        )
        for n in range(count)
    )
    return list(Amendment.objects.filter(number__gte=100).order_by("number"))


def test_the_inbox_costs_the_same_queries_at_300_amendments(client, editor, paragraph):
    make_many(paragraph, 30)
    admin_in(client, editor, "fr")
    client.get(INBOX)  # caches warmed
    with CaptureQueriesContext(connection) as few:
        assert client.get(INBOX).status_code == 200
    # 300 on the same paragraph: the worst case for groups and near-duplicates.
    Amendment.objects.filter(number__gte=100).delete()
    make_many(paragraph, 300)
    with CaptureQueriesContext(connection) as many:
        assert client.get(INBOX + "?answer_state=none").status_code == 200
    assert len(many) <= len(few) + 2


def test_a_group_answer_of_300_amendments(editor, paragraph, django_assert_max_num_queries):
    amendments = make_many(paragraph, 300)
    # One UPDATE for the group, whatever its size; Wagtail's reference index is refreshed by
    # the worker.
    with django_assert_max_num_queries(20):
        amendments_answer_group(
            amendments=amendments, status="rejected", response="Déjà prévu.", by=editor
        )
    assert Amendment.objects.filter(status="rejected").count() == 300


def test_a_draft_answer_does_not_let_the_text_be_adopted(opened, editor, agent, three):
    """DESIGN §3.7: only a published answer counts; a draft still blocks the adoption."""
    from charte.texts import services as lifecycle

    first, second, other = three
    amendments_answer_group(
        amendments=[first, second], status="rejected", response="Non retenu.", by=editor
    )
    amendment_answer_draft(amendment=other, status="accepted", response="Retenu.", by=agent)
    lifecycle.iteration_close(iteration=opened, by=editor)
    fields = {
        "session_date": timezone.localdate(),
        "deliberation_reference": "DEL-2027-042",
        "votes_for": 30,
        "votes_against": 3,
        "abstentions": 2,
    }
    with pytest.raises(lifecycle.LifecycleError) as refusal:
        lifecycle.iteration_adopt(iteration=opened, by=editor, **fields)
    assert f"n° {other.number}" in refusal.value.message

    amendment_answer_validate(amendment=other, by=editor)
    assert lifecycle.iteration_adopt(iteration=opened, by=editor, **fields)


@pytest.mark.parametrize(
    "language, refusal, note",
    [
        (
            "fr",
            "Seules les personnes habilitées à valider les réponses les publient",
            "Votre réponse est enregistrée comme projet",
        ),
        (
            "en",
            "Only those allowed to validate answers publish them",
            "Your answer is saved as a draft",
        ),
    ],
)
def test_who_may_not_validate_is_told_so_in_their_language(
    client, agent, three, language, refusal, note
):
    first = three[0]
    amendment_answer_draft(amendment=first, status="accepted", response="Oui", by=agent)
    admin_in(client, agent, language)
    form = client.get(f"{INBOX}edit/{first.pk}/").content.decode()
    assert note in form
    assert f"/admin/amendments/validate/{first.pk}/" not in form
    refused = client.post(f"{INBOX}validate/{first.pk}/", follow=True)
    assert refused.status_code == 200
    assert refusal in refused.content.decode()
    first.refresh_from_db()
    assert first.status == "submitted"
