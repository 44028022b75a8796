"""Editing a long text article by article.

Wagtail's page editor builds a widget for every block of the body: at 1,000 paragraphs it
takes close to a minute to open and as long to save (``bench/README.md``). Above
:data:`EDIT_BY_ARTICLE_ABOVE` paragraphs the page editor shows the text's outline instead of
its body, and each article opens its own small form; saving it writes a new revision of the
page whose body is the latest one with that article replaced, block ids kept.

Every change goes through the page's own validation (``save_revision`` cleans the page: a
frozen text refuses any change) and refuses to overwrite a revision saved since the form was
opened.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from charte.core.exceptions import Refused
from charte.texts.richtext import plain_text

#: Above this many paragraphs, a text is edited article by article (Wagtail's body editor
#: stays below it). 100 paragraphs open in Wagtail's editor in a few seconds; 150 already
#: take over ten (``bench/README.md``). The environment sets it (``EDIT_BY_ARTICLE_ABOVE``).
EDIT_BY_ARTICLE_ABOVE = 100


def threshold() -> int:
    return getattr(settings, "CHARTE_EDIT_BY_ARTICLE_ABOVE", EDIT_BY_ARTICLE_ABOVE)


def paragraph_count(raw_body) -> int:
    """How many paragraphs a body holds, read from its stored form (no block is built)."""
    return sum(
        len((article.get("value") or {}).get("paragraphs") or [])
        for section in raw_body or []
        for article in (section.get("value") or {}).get("articles") or []
    )


def edits_by_article(page) -> bool:
    """The page is an existing iteration whose body is too long for Wagtail's body editor."""
    if page is None or page.pk is None or not hasattr(page, "body"):
        return False
    return paragraph_count(page.body.raw_data) > threshold()


def new_key() -> str:
    return str(uuid.uuid4())


@dataclass
class ArticleEntry:
    key: str
    number: int
    title: str
    paragraph_count: int


@dataclass
class SectionEntry:
    key: str
    number: int
    title: str
    articles: list


def outline(raw_body) -> list[SectionEntry]:
    """Sections and articles (number, title, paragraph count) of a stored body."""
    sections, number = [], 0
    for index, section in enumerate(raw_body or [], start=1):
        value = section.get("value") or {}
        entry = SectionEntry(section.get("id") or "", index, value.get("title") or "", [])
        for article in value.get("articles") or []:
            number += 1
            article_value = article.get("value") or {}
            entry.articles.append(
                ArticleEntry(
                    article.get("id") or "",
                    number,
                    article_value.get("title") or "",
                    len(article_value.get("paragraphs") or []),
                )
            )
        sections.append(entry)
    return sections


@dataclass
class Located:
    section: dict
    article: dict | None
    number: int  # the article's number in the whole text (0 for a new one)


def find_article(raw_body, article_key) -> Located | None:
    number = 0
    for section in raw_body or []:
        for article in (section.get("value") or {}).get("articles") or []:
            number += 1
            if article.get("id") == article_key:
                return Located(section, article, number)
    return None


def find_section(raw_body, section_key) -> dict | None:
    return next((s for s in raw_body or [] if s.get("id") == section_key), None)


@dataclass
class ParagraphInput:
    key: str  # the block id it had when the form was opened, or "" for a new paragraph
    html: str


class StaleRevision(Refused):
    """The page was saved by someone else since the form was opened."""


def latest_draft(page):
    """The page as its latest revision has it, and that revision's id."""
    revision = page.get_latest_revision()
    draft = revision.as_object() if revision else page
    return draft, (revision.pk if revision else None)


def _paragraph_blocks(paragraphs: list[ParagraphInput], known: set[str]) -> list[dict]:
    """Paragraph blocks: a key the article had keeps its identity; anything else (a new
    paragraph, a key from elsewhere, a repeated key) gets a new one."""
    blocks, used = [], set()
    for paragraph in paragraphs:
        key = paragraph.key if paragraph.key in known and paragraph.key not in used else new_key()
        used.add(key)
        blocks.append({"type": "paragraph", "id": key, "value": paragraph.html})
    return blocks


def _save(page, base_revision_id, change, *, user, publish):
    """Apply ``change`` to the latest body and save it as a new revision (published if asked),
    through the page's validation; refuse if a revision came since ``base_revision_id``."""
    from wagtail.models import Page

    with transaction.atomic():
        Page.objects.select_for_update().filter(pk=page.pk).first()
        page = type(page).objects.get(pk=page.pk)
        draft, latest_id = latest_draft(page)
        if str(latest_id or "") != str(base_revision_id or ""):
            raise StaleRevision(
                _(
                    "Someone saved this text since you opened this form: your changes were "
                    "not saved. They are still below; open the article again in another tab "
                    "to see the latest text, then carry your changes over."
                )
            )
        body = copy.deepcopy(list(draft.body.raw_data))
        result = change(body)
        draft.body = body
        try:
            revision = draft.save_revision(user=user, log_action=True)
        except ValidationError as error:
            raise Refused(" ".join(error.messages)) from error
        if publish:
            revision.publish(user=user)
    return revision, result


def save_article(
    page,
    article_key,
    *,
    title,
    paragraphs: list[ParagraphInput],
    base_revision_id,
    user,
    publish=False,
):
    """Replace an article's title and paragraphs; return the new revision."""

    def change(body):
        located = find_article(body, article_key)
        if located is None:
            raise Refused(_("This article is no longer in the text."))
        known = {p.get("id") for p in located.article["value"].get("paragraphs") or []}
        located.article["value"] = {
            "title": title,
            "paragraphs": _paragraph_blocks(paragraphs, known),
        }

    revision, _ignored = _save(page, base_revision_id, change, user=user, publish=publish)
    return revision


def add_article(
    page,
    section_key,
    *,
    title,
    paragraphs: list[ParagraphInput],
    base_revision_id,
    user,
    section_title=None,
    publish=False,
):
    """Add an article at the end of a section (or, with ``section_title``, in a new section
    at the end of the text); return the new revision and the article's key."""
    article = {
        "type": "article",
        "id": new_key(),
        "value": {"title": title, "paragraphs": _paragraph_blocks(paragraphs, set())},
    }

    def change(body):
        if section_title is not None:
            body.append(
                {
                    "type": "section",
                    "id": new_key(),
                    "value": {"title": section_title, "articles": [article]},
                }
            )
            return article["id"]
        section = find_section(body, section_key)
        if section is None:
            raise Refused(_("This section is no longer in the text."))
        section["value"].setdefault("articles", []).append(article)
        return article["id"]

    return _save(page, base_revision_id, change, user=user, publish=publish)


def delete_article(page, article_key, *, base_revision_id, user):
    """Remove an article (its section goes with it when it was the section's only one)."""

    def change(body):
        located = find_article(body, article_key)
        if located is None:
            raise Refused(_("This article is no longer in the text."))
        articles = located.section["value"]["articles"]
        articles.remove(located.article)
        if not articles:
            body.remove(located.section)

    revision, _ignored = _save(page, base_revision_id, change, user=user, publish=False)
    return revision


def rename_section(page, section_key, *, title, base_revision_id, user):
    def change(body):
        section = find_section(body, section_key)
        if section is None:
            raise Refused(_("This section is no longer in the text."))
        section["value"]["title"] = title

    revision, _ignored = _save(page, base_revision_id, change, user=user, publish=False)
    return revision


def is_blank(html: str) -> bool:
    return not plain_text(html or "").strip()
