"""Builders for test data: accounts, charters, iterations and their bodies."""

import datetime
import uuid

import factory
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Site

from charte.core import roles
from charte.models import CharterIterationPage, CharterPage


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """Staff roles come with their second factor, as the site requires."""
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
            if not kwargs.get("without_2fa"):
                TOTP.activate(self, TOTP_SECRET)


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret=TOTP_SECRET, steps_ago=0):
    """The code an authenticator app would show now (or ``steps_ago`` 30-second steps ago),
    with at least five seconds of its step left (a browser test types it a moment later)."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 - steps_ago))


def editor(username="editor"):
    return UserFactory(username=username, role=roles.COMMUNICATION_TEAM)


def new_id():
    return str(uuid.uuid4())


def paragraph(text, key=None):
    return {"type": "paragraph", "id": key or new_id(), "value": text}


def article(title, paragraphs, key=None):
    return {
        "type": "article",
        "id": key or new_id(),
        "value": {
            "title": title,
            "paragraphs": [p if isinstance(p, dict) else paragraph(p) for p in paragraphs],
        },
    }


def section(title, articles, key=None):
    return {
        "type": "section",
        "id": key or new_id(),
        "value": {"title": title, "articles": articles},
    }


def _chunks(items, size):
    return [items[i : i + size] for i in range(0, len(items), size)]


def body_with(paragraph_count, *, per_article=5, per_section=4, prefix="Alinéa"):
    """A body of ``paragraph_count`` paragraphs, 5 per article, 4 articles per section."""
    paragraphs = [
        paragraph(f"{prefix} {i} : la commune s’engage à répondre à chacun.")
        for i in range(1, paragraph_count + 1)
    ]
    articles = [
        article(f"Article de test {n}", chunk)
        for n, chunk in enumerate(_chunks(paragraphs, per_article), start=1)
    ]
    return [
        section(f"Titre {n}", chunk)
        for n, chunk in enumerate(_chunks(articles, per_section), start=1)
    ]


def home_page():
    return Site.objects.get(is_default_site=True).root_page.specific


def make_charter(title="Charte de test", slug="charte-test", user=None):
    charter = CharterPage(title=title, slug=slug, territory="Saint-Test", owner=user)
    home_page().add_child(instance=charter)
    charter.save_revision(user=user).publish(user=user)
    return charter


def make_iteration(charter, body=None, *, title="Version 1", slug=None, user=None, **fields):
    now = timezone.now()
    fields.setdefault("opens_at", now - datetime.timedelta(days=1))
    fields.setdefault("closes_at", now + datetime.timedelta(days=30))
    iteration = CharterIterationPage(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        label="Projet soumis à la concertation",
        body=body if body is not None else body_with(6),
        owner=user,
        **fields,
    )
    charter.add_child(instance=iteration)
    iteration.save_revision(user=user).publish(user=user)
    return CharterIterationPage.objects.get(pk=iteration.pk)


def body_texts(iteration):
    from charte.texts.outline import body_outline, outline_paragraphs

    return [(p.key, p.text) for p in outline_paragraphs(body_outline(iteration.body))]


def search_entry(key="comment:1", **fields):
    """A search entry as the mapping would give it, with these fields changed."""
    import datetime

    from search.documents import Entry

    values = {
        "key": key,
        "kind": "comment",
        "charter_id": 3,
        "charter_title": "Charte",
        "iteration_id": 4,
        "iteration_title": "Version 1",
        "article": 2,
        "amendment_status": "",
        "author_type": "resident",
        "origin": "online",
        "language": "fr",
        "date": datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC),
        "title": "Commentaire",
        "body": "Le transport à la demande",
        "url": "/charte/v1/p/x/#c1",
        "page_id": 4,
    }
    values.update(fields)
    return Entry(**values)


def make_debate(
    parent,
    *,
    question="Quelle place pour les jeunes dans les conseils de quartier ?",
    title="Les jeunes et les conseils de quartier",
    slug="jeunes",
    user=None,
    **fields,
):
    """A published debate under ``parent`` (a charter or the debates index), open from
    yesterday for thirty days unless told otherwise."""
    from charte.models import DebatePage

    now = timezone.now()
    fields.setdefault("opens_at", now - datetime.timedelta(days=1))
    fields.setdefault("closes_at", now + datetime.timedelta(days=30))
    debate = DebatePage(title=title, slug=slug, question=question, owner=user, **fields)
    parent.add_child(instance=debate)
    debate.save_revision(user=user).publish(user=user)
    return DebatePage.objects.get(pk=debate.pk)


def make_workshop(charter, *, facilitators=(), **fields):
    """A workshop (or, with ``kind="register"``, a paper register) of ``charter``, held
    yesterday unless ``starts_at`` says otherwise, with its ``facilitators`` named."""
    import datetime

    from django.utils import timezone

    from charte.models import Workshop

    fields.setdefault("title", "Atelier du Port")
    fields.setdefault("starts_at", timezone.now() - datetime.timedelta(days=1))
    workshop = Workshop.objects.create(charter=charter, **fields)
    workshop.facilitators.add(*facilitators)
    return workshop
