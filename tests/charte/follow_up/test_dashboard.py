"""The team's dashboard reminds it of the commitments residents wait for: those past their due
date, and those with no news for six months."""

import datetime

import pytest
from django.utils import timezone

from charte.dashboard import queries
from charte.follow_up import services as follow_up
from charte.follow_up.models import Commitment, CommitmentStatus

pytestmark = pytest.mark.django_db


def make(adopted, editor, title, **fields):
    return follow_up.commitment_create(
        charter=adopted.get_parent(),
        article_number=1,
        title=title,
        description="…",
        is_published=True,
        by=editor,
        **fields,
    )


def test_late_and_silent_commitments(adopted, editor, django_assert_max_num_queries):
    today = timezone.localdate()
    long_ago = timezone.now() - datetime.timedelta(days=400)
    late = make(adopted, editor, "En retard", due_on=today - datetime.timedelta(days=3))
    make(
        adopted,
        editor,
        "Réalisé, en retard sans importance",
        due_on=today - datetime.timedelta(days=3),
        status=CommitmentStatus.DONE,
    )
    silent = make(adopted, editor, "Sans nouvelles")
    told = make(adopted, editor, "Avec des nouvelles")
    Commitment.objects.filter(pk__in=[silent.pk, told.pk]).update(created_at=long_ago)
    follow_up.update_publish(commitment=told, text="Lancé.", by=editor)
    for n in range(30):
        make(adopted, editor, f"Récent {n}")

    with django_assert_max_num_queries(2):
        found = queries.commitments_to_follow()
    assert [c.title for c in found.late] == [late.title]
    assert [c.title for c in found.silent] == [silent.title]


def test_the_team_sees_them_on_the_admin_home_and_the_moderators_do_not(client, adopted, editor):
    from charte.core import roles
    from tests import factories
    from tests.charte.dashboard.test_dashboard import HOME, section, signed_in

    late = make(
        adopted,
        editor,
        "Ouvrir la maison des associations",
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    team = factories.UserFactory(username="equipe", role=roles.COMMUNICATION_TEAM)
    html = signed_in(client, team).get(HOME).content.decode()
    part = section(html, "dashboard-commitments")
    assert "Les engagements qu’attendent les habitants" in part
    assert f'href="/admin/follow-up/commitments/edit/{late.pk}/"' in part
    assert "en retard\u00a0: prévu pour le" in part

    html = signed_in(client, team, "en").get(HOME).content.decode()
    assert "late: due on" in section(html, "dashboard-commitments")

    moderator = factories.UserFactory(username="modo", pseudonym="Modo", role=roles.MODERATORS)
    html = signed_in(client, moderator).get(HOME).content.decode()
    assert 'id="dashboard-commitments"' not in html
