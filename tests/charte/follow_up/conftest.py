import pytest
from allauth.account.models import EmailAddress

from charte.follow_up import services as follow_up
from charte.texts import services
from tests import factories
from tests.charte.review.test_adoption import adopt


@pytest.fixture
def adopted(opened, editor):
    """The opened iteration, closed and adopted (six paragraphs: articles 1 and 2)."""
    services.iteration_close(iteration=opened, by=editor)
    adopt(opened, editor)
    opened.refresh_from_db()
    return opened


@pytest.fixture
def commitment(adopted, editor):
    """A published commitment under article 1 of the adopted version."""
    return follow_up.commitment_create(
        charter=adopted.get_parent().specific,
        article_number=1,
        title="Réunir chaque conseil de quartier quatre fois par an",
        description="Un calendrier public des réunions, publié en janvier.",
        is_published=True,
        by=editor,
    )


def resident(username="lea", language="fr"):
    """A resident with a verified address (so that e-mails reach them)."""
    user = factories.UserFactory(username=username, preferred_language=language)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user
