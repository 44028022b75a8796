import pytest

from charte.models import Paragraph
from charte.texts import services


@pytest.fixture
def opened(iteration, editor):
    """The iteration fixture, opened for consultation (window: yesterday to 30 days on)."""
    services.iteration_open(iteration=iteration, by=editor)
    return iteration


@pytest.fixture
def paragraph(opened):
    """The first frozen paragraph of the opened iteration."""
    return Paragraph.objects.filter(iteration=opened).order_by("position").first()
