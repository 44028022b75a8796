"""The one mapping from the site's models to search entries; every engine indexes these.

An entry is a plain :class:`Entry`. Each kind of contribution has one function turning an
object into its entries (none when the object must not be found: a draft, a private page, a
pending or hidden comment), and one generator of every entry for rebuilds: ``KINDS`` lists them
(paragraphs, comments, amendments, debate arguments, commitments of adopted charters,
pages).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, fields
from itertools import islice

from django.conf import settings
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.models import Page

from charte.core.origins import Origin

ONLINE = Origin.ONLINE.value
TITLE_MAX = 300  # search.models.SearchEntry.title


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
    page_id: int | None  # the page the reader lands on, whose visibility decides for the entry

    def as_dict(self):
        return dict(zip(ENTRY_FIELDS, self.values(), strict=True))

    def values(self) -> tuple:
        """The fields in order, not copied (``dataclasses.astuple`` deep-copies each one)."""
        return tuple(getattr(self, name) for name in ENTRY_FIELDS)


ENTRY_FIELDS = tuple(field.name for field in fields(Entry))


def _translated(language, message, values):
    with translation.override(language):
        return _(message) % values


def public_page_ids() -> set[int]:
    """The pages anyone may read: live, without a view restriction of any kind (password,
    groups, login), and so are all their ancestors. A translation is its own page, in its own
    tree: the English page may be private while the French one is public, and the other way
    round.

    One query, whatever the number of entries: every page with its path, whether it is live
    and whether it is restricted (a page's ancestors are the prefixes of its path). Engines
    show an entry only if its ``page_id`` is among these: an entry about a page deleted or
    made private since it was written never shows."""
    from django.db.models import Exists, OuterRef
    from wagtail.models import PageViewRestriction

    restricted = PageViewRestriction.objects.filter(page_id=OuterRef("pk"))
    rows = list(
        Page.objects.order_by()
        .annotate(restricted=Exists(restricted))
        .values_list("pk", "path", "live", "restricted")
    )
    hidden = {path for _pk, path, live, is_restricted in rows if is_restricted or not live}
    step = Page.steplen
    return {
        pk
        for pk, path, _live, _restricted in rows
        if not any(path[:end] in hidden for end in range(step, len(path) + 1, step))
    }


class Lookups:
    """What many entries share, read once rather than once per entry: which pages are public,
    each page's parent and address, an iteration's translations and their wording, the
    paragraphs and amendments that comments are about. One instance serves a rebuild, a
    batch or a single refresh; it is not kept between them (pages change)."""

    def __init__(self, visible_ids: set[int] | None = None):
        self.visible_ids = public_page_ids() if visible_ids is None else visible_ids
        self._memo: dict = {}

    def _get(self, key, compute):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def visible(self, page) -> bool:
        return page.pk in self.visible_ids

    def parent(self, page):
        return self._get(("parent", page.pk), page.get_parent)

    def url(self, page, route: str | None = None, arg=None) -> str:
        """The page's address, or that of one of its routes (a paragraph, an amendment)."""
        if route is None:
            return self._get(("url", page.pk), lambda: page.url or "")
        return self._get(
            ("url", page.pk, route, arg),
            lambda: self.url(page) + page.reverse_subpage(route, args=[arg]),
        )

    def translations(self, iteration) -> list:
        """The live translations of an iteration page (the page itself not included)."""
        return self._get(
            ("translations", iteration.pk),
            lambda: list(iteration.get_translations().live().specific().select_related("locale")),
        )

    def _outline(self, page) -> dict:
        from charte.texts.reading import reading_outline

        def outline():
            return {
                item.key: (item.text, article.title)
                for section in reading_outline(page)
                for article in section.articles
                for item in article.paragraphs
            }

        return self._get(("texts", page.pk), outline)

    def text_in(self, page, paragraph) -> str:
        """A paragraph's wording on a translated page (the original where not translated)."""
        return self._outline(page).get(paragraph.key, (paragraph.text,))[0]

    def article_title_in(self, page, paragraph) -> str:
        """The title of a paragraph's article on a translated page (the original where the
        translation has none)."""
        found = self._outline(page).get(paragraph.key)
        return (found[1] if found else "") or paragraph.article_title

    def target(self, comment):
        """The paragraph or amendment a comment is about (None for anything else)."""
        key = ("target", comment.content_type_id, comment.object_pk)
        if key not in self._memo:
            self.prefetch_targets([comment])
        return self._memo[key]

    def owner(self, target):
        """The page whose visibility decides for a comment's target (its version, its
        debate…), and the charter and version fields of its entries."""
        page = target.discussion_page()
        return page, self.process_fields(page)

    def process_fields(self, page) -> dict:
        """The charter and « version » facets of what is read on ``page``: a version is filed
        under its charter; a debate under its charter (one that stands alone is its own
        process) and, as the « version » facet, under itself, so that a page made private
        drops out at query time like a version does."""
        return self._get(
            ("process fields", page.pk), lambda: page.search_process_fields(self.parent(page))
        )

    def debate_fields(self, debate) -> dict:
        return self.process_fields(debate)

    def comment_place(self, target, language) -> tuple:
        """What the comments on one discussion target share: its article, their title in
        ``language`` and the address of the discussion."""

        def compute():
            with translation.override(language):
                title = _("Comment on %(target)s") % {"target": target.discussion_title()}
                route, argument = target.discussion_route()
                return (
                    target.discussion_article(),
                    str(title),
                    self.url(target.discussion_page(), route, argument),
                )

        return self._get(("comment place", type(target).__name__, target.pk, language), compute)

    def prefetch_targets(self, comments) -> None:
        """Read the targets of these comments in one query per kind of target."""
        from charte.core.targets import target_models, target_type

        wanted: dict = {}
        for comment in comments:
            key = ("target", comment.content_type_id, comment.object_pk)
            if key not in self._memo:
                self._memo[key] = None
                wanted.setdefault(comment.content_type_id, set()).add(comment.object_pk)
        for model in target_models():
            content_type = target_type(model)
            pks = {int(pk) for pk in wanted.get(content_type.pk, ()) if str(pk).isdigit()}
            if not pks:
                continue
            related = model.discussion_related
            for target in model.objects.filter(pk__in=pks).select_related(*related):
                self._memo[("target", content_type.pk, str(target.pk))] = target

    def prefetch(self, objects) -> None:
        """Read ahead what a batch of objects of one kind will ask for."""
        from charte.models import Comment

        comments = [obj for obj in objects if isinstance(obj, Comment)]
        if comments:
            self.prefetch_targets(comments)


def _iteration_fields(iteration, charter):
    return iteration.search_process_fields(charter)


# What a workshop or a paper register said (entered by a facilitator): signed by it, never by
# the facilitator, whose author type is not the contribution's either.


def _author_type(contribution, author) -> str:
    if contribution.workshop_id or author is None:
        return ""
    return author.public_author_type


def _signed(title: str, contribution, language: str) -> str:
    """The title of a contribution's entry, followed, for what a workshop or a register said,
    by its signature in the entry's language (« … – Atelier du 12 mars 2026 – Maison de
    quartier du Port, 18 participants »): shown in the results, and found by its date and
    place."""
    if not contribution.workshop_id:
        return title
    with translation.override(language):
        signature = contribution.workshop.signature()
    return Truncator(f"{title} – {signature}").chars(TITLE_MAX)


def _with_workshop_name(body: str, contribution) -> str:
    """The text of a contribution's entry, and the name of the workshop it comes from when its
    signature does not already say it (« Atelier du Port » finds what was said there)."""
    if not contribution.workshop_id:
        return body
    workshop = contribution.workshop
    if workshop.title.casefold() in workshop.signature().casefold():
        return body
    return f"{body}\n\n{workshop.title}"


# -- Paragraphs: one entry per language the iteration is published in ---------------------


def paragraph_entries(paragraph, lookups=None) -> list[Entry]:
    lookups = lookups or Lookups()
    iteration = paragraph.iteration
    entries = []
    for page in (iteration, *lookups.translations(iteration)):
        if not lookups.visible(page):
            continue
        charter = lookups.parent(page)
        original = page.pk == iteration.pk
        text = paragraph.text if original else lookups.text_in(page, paragraph)
        article_title = (
            paragraph.article_title if original else lookups.article_title_in(page, paragraph)
        )
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
                # The facets of the page read (a translation is its own page, under its own
                # charter): never the title of a French page that may be private.
                **_iteration_fields(page, charter),
                article=paragraph.article_number,
                amendment_status="",
                author_type="",
                origin=ONLINE,
                language=language,
                date=iteration.frozen_at,
                title=f"{title} – {article_title}",
                body=text,
                url=lookups.url(page, "paragraph", paragraph.key),
                page_id=page.pk,
            )
        )
    return entries


def all_paragraphs():
    from charte.models import Paragraph

    # Not the version's text: each row would carry (and decode) a copy of the whole body.
    return (
        Paragraph.objects.select_related("iteration__locale")
        .defer("iteration__body")
        .order_by("pk")
    )


# -- Comments -------------------------------------------------------------------------------


def comment_entries(comment, lookups=None) -> list[Entry]:
    if not comment.is_visible:
        return []
    lookups = lookups or Lookups()
    target = lookups.target(comment)
    if target is None:
        return []
    owner, place_fields = lookups.owner(target)
    if not lookups.visible(owner) or not target.discussion_shown():
        return []
    language = comment.language or settings.LANGUAGE_CODE
    article, title, place = lookups.comment_place(target, language)
    return [
        Entry(
            key=f"comment:{comment.pk}",
            kind="comment",
            **place_fields,
            article=article,
            amendment_status="",
            author_type=_author_type(comment, comment.user),
            origin=comment.origin,
            language=language,
            date=comment.submit_date,
            title=_signed(title, comment, language),
            body=_with_workshop_name(comment.comment, comment),
            url=f"{place}#c{comment.pk}",
            page_id=owner.pk,
        )
    ]


def all_comments():
    from charte.models import Comment

    return (
        Comment.objects.filter(is_public=True, hidden_at__isnull=True, deleted_at__isnull=True)
        .select_related("user", "workshop")
        .only(  # what comment_entries reads, nothing more: a rebuild reads every comment
            "content_type_id",
            "object_pk",
            "comment",
            "submit_date",
            "is_public",
            "language",
            "hidden_at",
            "deleted_at",
            "user__author_type",
            "user__author_type_confirmed_at",
            "user__deleted_at",
            "workshop__kind",
            "workshop__title",
            "workshop__starts_at",
            "workshop__online",
            "workshop__place",
            "workshop__participants",
        )
        .order_by("pk")
    )


# -- Amendments, with their answers ---------------------------------------------------------


def amendment_entries(amendment, lookups=None) -> list[Entry]:
    lookups = lookups or Lookups()
    iteration = amendment.iteration
    if not lookups.visible(iteration):
        return []
    body = "\n\n".join(
        part for part in (amendment.text, amendment.rationale, amendment.response) if part
    )
    title = _translated(
        amendment.language, "Amendment no. %(number)s", {"number": amendment.number}
    )
    return [
        Entry(
            key=f"amendment:{amendment.pk}",
            kind="amendment",
            **_iteration_fields(iteration, amendment.charter),
            article=amendment.paragraph.article_number,
            amendment_status=amendment.status,
            author_type=_author_type(amendment, amendment.author),
            origin=amendment.origin,
            language=amendment.language,
            date=amendment.created_at,
            title=_signed(title, amendment, amendment.language),
            body=_with_workshop_name(body, amendment),
            url=lookups.url(iteration, "amendment", amendment.number),
            page_id=iteration.pk,
        )
    ]


def all_amendments():
    from charte.models import Amendment

    return Amendment.objects.select_related(
        "author", "paragraph", "iteration", "charter", "workshop"
    ).order_by("pk")


# -- Debate arguments --------------------------------------------------------------------------


ARGUMENT_TITLES = {
    "for": gettext_noop("Argument for: %(title)s"),
    "against": gettext_noop("Argument against: %(title)s"),
}


def argument_entries(argument, lookups=None) -> list[Entry]:
    if not argument.is_visible:
        return []
    lookups = lookups or Lookups()
    debate = argument.debate
    if not lookups.visible(debate):
        return []
    author = argument.author
    side = ARGUMENT_TITLES[argument.side]
    return [
        Entry(
            key=f"argument:{argument.pk}",
            kind="argument",
            **lookups.debate_fields(debate),
            article=None,
            amendment_status="",
            author_type=author.public_author_type,
            origin=ONLINE,
            language=argument.language,
            date=argument.created_at,
            title=_translated(argument.language, side, {"title": argument.title}),
            body=argument.text,
            url=lookups.url(debate, "argument", argument.pk),
            page_id=debate.pk,
        )
    ]


def all_arguments():
    from charte.models import Argument

    return Argument.objects.visible().select_related("author", "debate").order_by("pk")


# -- Commitments of an adopted charter, with their updates -----------------------------------


def commitment_entries(commitment, lookups=None) -> list[Entry]:
    """A published commitment, read on its charter's page in each language it is worded in
    (French, and English when its English title was given): its title, description, public
    reason and the texts of its updates; linked to its page. None while unpublished."""
    if not commitment.is_published:
        return []
    lookups = lookups or Lookups()
    charter = commitment.charter
    updates = list(commitment.updates.all())
    # Dated by its latest update (noon, local time), else by when it was recorded.
    latest = max((update.published_on for update in updates), default=None)
    date = (
        timezone.make_aware(datetime.datetime.combine(latest, datetime.time(12)))
        if latest
        else commitment.created_at
    )
    entries = []
    for page in (charter, *lookups.translations(charter)):
        if not lookups.visible(page):
            continue
        language = page.locale.language_code
        if language != settings.LANGUAGE_CODE and not commitment.title_en:
            continue  # not worded in this language: its French entry is found instead
        with translation.override(language):
            title = _("Commitment no. %(number)s: %(title)s") % {
                "number": commitment.number,
                "title": commitment.shown_title,
            }
            parts = [
                commitment.shown_description,
                commitment.shown_reason,
                *(update.shown_text for update in updates),
            ]
        entries.append(
            Entry(
                key=f"commitment:{commitment.pk}:{language}",
                kind="commitment",
                **lookups.process_fields(page),
                article=commitment.article_number,
                amendment_status="",
                author_type="",
                origin=ONLINE,
                language=language,
                date=date,
                title=Truncator(title).chars(TITLE_MAX),
                body="\n\n".join(part for part in parts if part),
                url=lookups.url(page, "commitment", commitment.number),
                page_id=page.pk,
            )
        )
    return entries


def all_commitments():
    from charte.follow_up.models import Commitment

    return (
        Commitment.objects.published()
        .select_related("charter__locale")
        .prefetch_related("updates")
        .order_by("pk")
    )


# -- Charter, iteration and debate pages ------------------------------------------------------


def page_entries(page, lookups=None) -> list[Entry]:
    from django.utils.html import strip_tags

    from charte.models import CharterIterationPage, CharterPage, DebatePage

    lookups = lookups or Lookups()
    page = page.specific
    if not isinstance(page, CharterPage | CharterIterationPage | DebatePage):
        return []
    if not lookups.visible(page):
        return []
    if isinstance(page, DebatePage):
        return [
            Entry(
                key=f"page:{page.pk}",
                kind="debate",
                **lookups.debate_fields(page),
                article=None,
                amendment_status="",
                author_type="",
                origin=ONLINE,
                language=page.locale.language_code,
                date=page.last_published_at or page.first_published_at,
                title=page.question,
                body=strip_tags(str(page.context or "")),
                url=lookups.url(page),
                page_id=page.pk,
            )
        ]
    if isinstance(page, CharterPage):
        charter, iteration = page, None
        body = strip_tags(str(page.introduction or ""))
        kind = "charter"
    else:
        charter, iteration = lookups.parent(page), page
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
            url=lookups.url(page),
            page_id=page.pk,
        )
    ]


def all_pages():
    from charte.models import CharterIterationPage, CharterPage, DebatePage

    return [
        page
        for model in (CharterPage, CharterIterationPage, DebatePage)
        for page in model.objects.all().select_related("locale")
    ]


KINDS = {
    # name: (entries of one object, every object for a rebuild)
    "paragraph": (paragraph_entries, all_paragraphs),
    "comment": (comment_entries, all_comments),
    "amendment": (amendment_entries, all_amendments),
    "argument": (argument_entries, all_arguments),
    "commitment": (commitment_entries, all_commitments),
    "page": (page_entries, all_pages),
}


def object_count() -> int:
    """How many objects a rebuild reads (for its progress bar)."""
    total = 0
    for _entries_of, everything in KINDS.values():
        objects = everything()
        total += len(objects) if isinstance(objects, list) else objects.count()
    return total


def batches(size: int = 500) -> Iterator[tuple[int, list[Entry]]]:
    """Every entry, computed from the database, in batches of about ``size`` objects: pairs of
    (objects read, their entries). What the objects of a batch share is read once."""
    lookups = Lookups()
    for entries_of, everything in KINDS.values():
        objects = everything()
        iterator = objects.iterator(chunk_size=size) if hasattr(objects, "iterator") else objects
        iterator = iter(iterator)
        while chunk := list(islice(iterator, size)):
            lookups.prefetch(chunk)
            yield len(chunk), [entry for obj in chunk for entry in entries_of(obj, lookups)]


def all_entries() -> Iterator[Entry]:
    """Every entry, computed from the database."""
    for _count, entries in batches():
        yield from entries


def _comparable(name, value):
    """A field's value as an engine gives it back: a date as its instant in UTC (the database
    returns a datetime, Elasticsearch the text it was sent)."""
    if name == "date" and value is not None:
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    return value


def digest(values) -> bytes:
    """A short fingerprint of an entry's fields (an :class:`Entry`, or a mapping of its field
    names as an engine stores them): two entries with the same digest show the same thing."""
    if isinstance(values, Entry):
        values = values.as_dict()
    normal = [_comparable(name, values.get(name)) for name in ENTRY_FIELDS]
    text = json.dumps(normal, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=12).digest()


#: The kinds with one entry per language (their keys end with it).
PER_LANGUAGE = ("paragraph", "commitment")


def keys_for(kind: str, obj) -> list[str]:
    """Every key an object may have been indexed under (to delete them)."""
    if kind in PER_LANGUAGE:
        return [f"{kind}:{obj.pk}:{code}" for code, _name in settings.LANGUAGES]
    if kind == "page":
        return [f"page:{obj.pk}"]
    return [f"{kind}:{obj.pk}"]


def kind_of(obj) -> str | None:
    """The name in :data:`KINDS` of what ``obj`` is indexed as (None if it is not indexed): a
    discussion target under its own ``discussion_kind``, a comment, or a page."""
    from charte.core.targets import DiscussionTarget
    from charte.discussions.models import Comment
    from charte.models import CharterIterationPage, CharterPage, DebatePage

    if isinstance(obj, Comment):
        return "comment"
    if isinstance(obj, DiscussionTarget):
        return obj.discussion_kind if obj.discussion_kind in KINDS else None
    if isinstance(obj, CharterPage | CharterIterationPage | DebatePage):
        return "page"
    return None
