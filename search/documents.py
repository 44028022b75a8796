"""The one mapping from the site's models to search entries; every engine indexes these.

An entry is a plain :class:`Entry`. Each kind of contribution has one function turning an
object into its entries (none when the object must not be found: a draft, a private page, a
pending or hidden comment), and one generator of every entry for rebuilds. Adding a kind (debate
arguments) means adding its two functions to ``KINDS``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Page

ONLINE = "online"


@dataclass
class Entry:
    key: str
    kind: str
    charter_id: int | None
    charter_title: str
    iteration_id: int | None
    iteration_title: str
    article: int | None
    amendment_status: str
    author_type: str
    origin: str
    language: str
    date: object
    title: str
    body: str
    url: str

    def as_dict(self):
        return asdict(self)


def _translated(language, message, values):
    with translation.override(language):
        return _(message) % values


def public_page_ids() -> set[int]:
    """Live pages that anyone may read: no view restriction on them or their ancestors."""
    from wagtail.models import PageViewRestriction

    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    pages = Page.objects.live().values_list("pk", "path")
    return {pk for pk, path in pages if not any(path.startswith(r) for r in restricted)}


def _visible(page, visible_ids=None) -> bool:
    if visible_ids is not None:
        return page.pk in visible_ids
    return page.live and not page.get_view_restrictions().exists()


def _iteration_fields(iteration, charter):
    return {
        "charter_id": charter.pk,
        "charter_title": charter.title,
        "iteration_id": iteration.pk,
        "iteration_title": f"{iteration.title} – {iteration.label}",
    }


# -- Paragraphs: one entry per language the iteration is published in ---------------------


def paragraph_entries(paragraph, visible_ids=None) -> list[Entry]:
    from charte.reading import reading_outline

    iteration = paragraph.iteration
    entries = []
    translations = iteration.get_translations().live().specific().select_related("locale")
    pages = [iteration, *translations]
    for page in pages:
        if not _visible(page, visible_ids):
            continue
        charter = page.get_parent()
        text = paragraph.text
        if page.pk != iteration.pk:
            from charte.reading import find_paragraph

            found = find_paragraph(reading_outline(page), paragraph.key)
            text = found[2].text if found else paragraph.text
        language = page.locale.language_code
        with translation.override(language):
            title = _("Article %(article)s, paragraph %(number)s") % {
                "article": paragraph.article_number,
                "number": paragraph.number,
            }
        entries.append(
            Entry(
                key=f"paragraph:{paragraph.pk}:{language}",
                kind="paragraph",
                **_iteration_fields(iteration, charter),
                article=paragraph.article_number,
                amendment_status="",
                author_type="",
                origin=ONLINE,
                language=language,
                date=iteration.frozen_at,
                title=f"{title} – {paragraph.article_title}",
                body=text,
                url=paragraph.get_url(page),
            )
        )
    return entries


def all_paragraphs():
    from charte.models import Paragraph

    return Paragraph.objects.select_related("iteration").order_by("pk")


# -- Comments -------------------------------------------------------------------------------


def comment_entries(comment, visible_ids=None) -> list[Entry]:
    from charte.comments import target_of
    from charte.models import Paragraph

    if not comment.is_visible:
        return []
    target = target_of(comment)
    if target is None:
        return []
    iteration = target.iteration
    if not _visible(iteration, visible_ids):
        return []
    charter = iteration.get_parent()
    author = comment.user
    language = comment.language or settings.LANGUAGE_CODE
    with translation.override(language):
        if isinstance(target, Paragraph):
            article = target.article_number
            title = _("Comment on %(target)s") % {"target": target}
        else:
            article = target.paragraph.article_number
            title = _("Comment on amendment no. %(number)s") % {"number": target.number}
    return [
        Entry(
            key=f"comment:{comment.pk}",
            kind="comment",
            **_iteration_fields(iteration, charter),
            article=article,
            amendment_status="",
            author_type=(author.author_type if author and author.deleted_at is None else ""),
            origin=ONLINE,
            language=language,
            date=comment.submit_date,
            title=str(title),
            body=comment.comment,
            url=f"{target.get_url()}#c{comment.pk}",
        )
    ]


def all_comments():
    from charte.models import Comment

    return (
        Comment.objects.filter(is_public=True, hidden_at__isnull=True, deleted_at__isnull=True)
        .select_related("user")
        .order_by("pk")
    )


# -- Amendments, with their answers ---------------------------------------------------------


def amendment_entries(amendment, visible_ids=None) -> list[Entry]:
    iteration = amendment.iteration
    if not _visible(iteration, visible_ids):
        return []
    author = amendment.author
    body = "\n\n".join(
        part for part in (amendment.text, amendment.rationale, amendment.response) if part
    )
    return [
        Entry(
            key=f"amendment:{amendment.pk}",
            kind="amendment",
            **_iteration_fields(iteration, amendment.charter),
            article=amendment.paragraph.article_number,
            amendment_status=amendment.status,
            author_type=author.author_type if author.deleted_at is None else "",
            origin=ONLINE,
            language=amendment.language,
            date=amendment.created_at,
            title=_translated(
                amendment.language, "Amendment no. %(number)s", {"number": amendment.number}
            ),
            body=body,
            url=amendment.get_url(),
        )
    ]


def all_amendments():
    from charte.models import Amendment

    return Amendment.objects.select_related("author", "paragraph", "iteration", "charter").order_by(
        "pk"
    )


# -- Charter and iteration pages --------------------------------------------------------------


def page_entries(page, visible_ids=None) -> list[Entry]:
    from django.utils.html import strip_tags

    from charte.models import CharterIterationPage, CharterPage

    page = page.specific
    if not isinstance(page, CharterPage | CharterIterationPage) or not _visible(page, visible_ids):
        return []
    if isinstance(page, CharterPage):
        charter, iteration = page, None
        body = strip_tags(str(page.introduction or ""))
        kind = "charter"
    else:
        charter, iteration = page.get_parent(), page
        body = page.summary or ""
        kind = "iteration"
    return [
        Entry(
            key=f"page:{page.pk}",
            kind=kind,
            charter_id=charter.pk,
            charter_title=charter.title,
            iteration_id=iteration.pk if iteration else None,
            iteration_title=f"{iteration.title} – {iteration.label}" if iteration else "",
            article=None,
            amendment_status="",
            author_type="",
            origin=ONLINE,
            language=page.locale.language_code,
            date=page.last_published_at or page.first_published_at,
            title=page.title,
            body=body,
            url=page.url or "",
        )
    ]


def all_pages():
    from charte.models import CharterIterationPage, CharterPage

    return list(CharterPage.objects.all().select_related("locale")) + list(
        CharterIterationPage.objects.all().select_related("locale")
    )


KINDS = {
    # name: (entries of one object, every object for a rebuild)
    "paragraph": (paragraph_entries, all_paragraphs),
    "comment": (comment_entries, all_comments),
    "amendment": (amendment_entries, all_amendments),
    "page": (page_entries, all_pages),
}


def all_entries(batch=500) -> Iterator[Entry]:
    """Every entry, computed from the database (for a rebuild)."""
    visible_ids = public_page_ids()
    for _name, (entries_of, everything) in KINDS.items():
        objects = everything()
        iterator = objects.iterator(chunk_size=batch) if hasattr(objects, "iterator") else objects
        for obj in iterator:
            yield from entries_of(obj, visible_ids)


def keys_for(kind: str, obj) -> list[str]:
    """Every key an object may have been indexed under (to delete them)."""
    if kind == "paragraph":
        return [f"paragraph:{obj.pk}:{code}" for code, _name in settings.LANGUAGES]
    if kind == "page":
        return [f"page:{obj.pk}"]
    return [f"{kind}:{obj.pk}"]


def kind_of(obj) -> str | None:
    from charte.models import Amendment, CharterIterationPage, CharterPage, Comment, Paragraph

    if isinstance(obj, Comment):
        return "comment"
    if isinstance(obj, Amendment):
        return "amendment"
    if isinstance(obj, Paragraph):
        return "paragraph"
    if isinstance(obj, CharterPage | CharterIterationPage):
        return "page"
    return None
