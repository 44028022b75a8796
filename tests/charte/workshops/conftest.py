import datetime

import pytest
from django.utils import timezone

from charte.core import roles
from charte.models import Workshop
from tests import factories


@pytest.fixture
def facilitator(db):
    return factories.UserFactory(username="anim", role=roles.FACILITATORS)


@pytest.fixture
def workshop(opened, facilitator):
    """A workshop of the opened iteration's charter, held yesterday, ``facilitator`` named."""
    workshop = Workshop.objects.create(
        charter=opened.get_parent().specific,
        iteration=opened,
        title="Atelier du Port",
        starts_at=timezone.now() - datetime.timedelta(days=1),
        place="Maison de quartier du Port",
        participants=18,
    )
    workshop.facilitators.add(facilitator)
    return workshop
