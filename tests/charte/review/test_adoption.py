"""The council's decision: refused while an amendment awaits its answer, recorded with its
result, announced on the charter and home pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from charte.amendments.services import amendment_answer, amendment_propose
from charte.models import AdoptionResult, IterationState, Paragraph
from charte.texts import services
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db


def adopt(iteration, editor, **changes):
    fields = {
        "session_date": timezone.localdate(),
        "deliberation_reference": "DEL-2027-042",
        "votes_for": 30,
        "votes_against": 3,
        "abstentions": 2,
        **changes,
    }
    return services.iteration_adopt(iteration=iteration, by=editor, **fields)


def propose(row, username="lea"):
    return amendment_propose(
        paragraph=row,
        by=make_citizen(username, f"Citoyen {username}"),
        kind="modify",
        text="Une autre rédaction de cet alinéa.",
        rationale="Plus clair.",
    )


def test_adoption_is_refused_while_an_amendment_awaits_its_answer(opened, editor):
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    first, second = propose(rows[0], "lea"), propose(rows[1], "marc")
    amendment_answer(amendment=first, status="rejected", response="Non retenu.", by=editor)
    services.iteration_close(iteration=opened, by=editor)

    with pytest.raises(services.LifecycleError) as refusal:
        adopt(opened, editor)
    assert "n° 2" in refusal.value.message and "attend" in refusal.value.message
    opened.refresh_from_db()
    assert opened.state == IterationState.CLOSED

    amendment_answer(amendment=second, status="accepted", response="Retenu.", by=editor)
    adoption = adopt(opened, editor)
    assert adoption.result == AdoptionResult.MAJORITY


def test_the_admin_form_lists_the_amendments_that_block_the_adoption(client, opened, editor):
    row = Paragraph.objects.filter(iteration=opened).first()
    waiting = propose(row)
    services.iteration_close(iteration=opened, by=editor)
    client.force_login(editor)
    response = client.get(reverse("charte_iteration_adopt", args=[opened.pk]))
    html = response.content.decode()
    assert reverse("amendments:edit", args=[waiting.pk]) in html
    assert "1 amendement attend encore sa réponse" in html

    response = client.post(
        reverse("charte_iteration_adopt", args=[opened.pk]),
        {
            "session_date": timezone.localdate().isoformat(),
            "deliberation_reference": "DEL-1",
            "votes_for": "20",
            "votes_against": "1",
            "abstentions": "0",
        },
    )
    assert response.status_code == 200
    assert "Amendement n° 1 attend encore une réponse" in response.content.decode()
    assert 'value="DEL-1"' in response.content.decode()  # what was typed is kept


@pytest.mark.parametrize(
    ("votes", "result"),
    [
        ((30, 0, 0), AdoptionResult.UNANIMOUS),
        ((30, 0, 4), AdoptionResult.UNANIMOUS_OF_VOTES_CAST),
        ((30, 5, 4), AdoptionResult.MAJORITY),
    ],
)
def test_the_result_is_worded_from_the_votes(opened, editor, votes, result):
    services.iteration_close(iteration=opened, by=editor)
    votes_for, votes_against, abstentions = votes
    adoption = adopt(
        opened, editor, votes_for=votes_for, votes_against=votes_against, abstentions=abstentions
    )
    assert adoption.result == result


def test_the_adoption_is_announced_on_the_charter_and_home_pages(client, opened, editor):
    services.iteration_close(iteration=opened, by=editor)
    adopt(opened, editor, votes_for=30, votes_against=0, abstentions=0)
    charter = opened.get_parent().specific

    page = client.get(charter.url).content.decode()
    assert "La charte est adoptée" in page
    assert "DEL-2027-042" in page and "Adoptée à l’unanimité par le conseil" in page
    assert f'href="{opened.url}"' in page

    home = client.get("/").content.decode()
    assert "Chartes adoptées" in home and "DEL-2027-042" in home
    iteration = client.get(opened.url).content.decode()
    assert "Version adoptée" in iteration and "DEL-2027-042" in iteration
