import pytest

from charte.core import roles
from tests import factories


@pytest.fixture
def facilitator(db):
    return factories.UserFactory(username="anim", role=roles.FACILITATORS)


@pytest.fixture
def workshop(opened, facilitator):
    """A workshop of the opened iteration's charter, held yesterday, ``facilitator`` named."""
    return factories.make_workshop(
        opened.get_parent().specific,
        facilitators=[facilitator],
        iteration=opened,
        place="Maison de quartier du Port",
        participants=18,
    )
