import pytest
from django.utils import translation
from wagtail.models import Locale

from tests import factories


@pytest.fixture
def english(db):
    locale, _ = Locale.objects.get_or_create(language_code="en")
    return locale


@pytest.fixture
def editor(db):
    return factories.editor()


@pytest.fixture
def charter(db, editor):
    return factories.make_charter(user=editor)


@pytest.fixture
def iteration(charter, editor):
    """A published draft iteration of six paragraphs, window open from yesterday."""
    return factories.make_iteration(charter, user=editor)


@pytest.fixture
def in_english():
    """Messages in English, for tests that match them."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and other cached state never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language, whatever a previous request chose."""
    from django.conf import settings

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
