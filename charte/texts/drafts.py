"""An imported draft: the blocks read from a document (:mod:`charte.texts.importing`) arranged
into sections → articles → paragraphs, with the warnings the team must read; the identities
kept from the draft it replaces; and the writes that put it into an iteration.

Headings become sections and articles either by the levels the team chooses, or, by default,
by recognising « Titre I », « Chapitre 2 », « Article 12 », « Art. 3 », « Préambule »; then
by the two highest heading levels the document uses. Nothing is written before
:func:`import_first_iteration` or :func:`import_into_draft`.
"""

from __future__ import annotations

import difflib
import re
import uuid
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.log_actions import log
from wagtail.models import Page

from charte.core.typography import for_language
from charte.texts.importing import (
    HEADING,
    IMAGE,
    ITEM,
    PARAGRAPH,
    TABLE,
    Block,
    ImportRefused,
    paragraph_rich_text,
)
from charte.texts.importing import paragraph_value as to_value
from charte.texts.outline import body_outline, normalize_text
from charte.texts.pages import CharterIterationPage
from charte.texts.richtext import plain_text

ACTION_IMPORT = "charte.iteration.import"
TITLE_MAX = 200
LONG_PARAGRAPH = 3000
SIMILAR = 0.8
WARNINGS_SHOWN = 12

AUTO = "auto"
MAPPINGS = {
    AUTO: gettext_lazy("Recognise « Titre », « Chapitre », « Article » (then heading levels)"),
    "1-2": gettext_lazy("Heading 1 = section, heading 2 = article"),
    "1-3": gettext_lazy("Heading 1 = section, heading 3 = article"),
    "2-3": gettext_lazy("Heading 2 = section, heading 3 = article"),
    "0-1": gettext_lazy("Heading 1 = article (one section)"),
    "0-2": gettext_lazy("Heading 2 = article (one section)"),
}

_SEP = r"\s*(?:[.:–—-]\s*|\s+|$)"
_DIVISIONS = ("livre", "partie", "titre", "chapitre", "section", "sous-section")
_DIVISION = re.compile(
    r"^(livre|partie|titre|chapitre|section|sous-section)\s+"
    r"([IVXLCDM]+|\d+|premier|première|1er|1re|unique)\b" + _SEP + r"(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_ARTICLE = re.compile(
    r"^(?:article|art\.)\s*(\d+|premier|1er|unique|[IVXLCDM]+)\b" + _SEP + r"(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_PREAMBLE = re.compile(r"^(préambule|preamble|exposé des motifs)\b" + _SEP + r"(.*)$", re.I)
# A body paragraph is taken for a division or an article only when it is this short.
_LABEL_LINE = 150


@dataclass
class DraftParagraph:
    html: str
    value: str  # its words (plain text): shown, compared
    rich: str = ""  # what the paragraph block stores (rich text)
    key: str = ""
    status: str = "new"  # new, kept, changed
    previous: str = ""  # the previous wording, when changed

    @property
    def words(self) -> str:
        """Its text as the stored paragraph will read (a link's address not among its words):
        what identities are matched on, like the previous text's paragraphs."""
        return normalize_text(plain_text(self.rich)) if self.rich else self.value


@dataclass
class DraftArticle:
    title: str
    label: str = ""  # « Article 12 » as the document numbers it
    key: str = ""
    paragraphs: list = field(default_factory=list)


@dataclass
class DraftSection:
    title: str
    key: str = ""
    articles: list = field(default_factory=list)


@dataclass
class Draft:
    kind: str
    sections: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    removed: list = field(default_factory=list)  # (key, article title, text) no longer there

    @property
    def articles(self):
        return [a for s in self.sections for a in s.articles]

    @property
    def paragraphs(self):
        return [p for a in self.articles for p in a.paragraphs]

    def counts(self) -> dict:
        statuses = [p.status for p in self.paragraphs]
        return {
            "sections": len(self.sections),
            "articles": len(self.articles),
            "paragraphs": len(statuses),
            "kept": statuses.count("kept"),
            "changed": statuses.count("changed"),
            "new": statuses.count("new"),
            "removed": len(self.removed),
        }

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Draft:
        sections = [
            DraftSection(
                title=s["title"],
                key=s["key"],
                articles=[
                    DraftArticle(
                        title=a["title"],
                        label=a["label"],
                        key=a["key"],
                        paragraphs=[DraftParagraph(**p) for p in a["paragraphs"]],
                    )
                    for a in s["articles"]
                ],
            )
            for s in data["sections"]
        ]
        return cls(
            kind=data["kind"],
            sections=sections,
            warnings=list(data["warnings"]),
            removed=[tuple(r) for r in data["removed"]],
        )

    def release(self, positions) -> None:
        """The team's choice in the preview: the changed paragraphs at ``positions`` (1-based
        through the text) are new ones; their previous identity is listed as removed."""
        wanted = {int(p) for p in positions if str(p).isdigit()}
        for position, paragraph in enumerate(self.paragraphs, start=1):
            if position in wanted and paragraph.status == "changed":
                article = next(a for a in self.articles if paragraph in a.paragraphs)
                self.removed.append((paragraph.key, article.title, paragraph.previous))
                paragraph.key, paragraph.status, paragraph.previous = _new_key(), "new", ""

    def raw_body(self) -> list:
        return [
            {
                "type": "section",
                "id": section.key or _new_key(),
                "value": {
                    "title": section.title,
                    "articles": [
                        {
                            "type": "article",
                            "id": article.key or _new_key(),
                            "value": {
                                "title": article.title,
                                "paragraphs": [
                                    {
                                        "type": "paragraph",
                                        "id": p.key or _new_key(),
                                        "value": p.rich or p.value,
                                    }
                                    for p in article.paragraphs
                                ],
                            },
                        }
                        for article in section.articles
                    ],
                },
            }
            for section in self.sections
        ]


def _new_key() -> str:
    return str(uuid.uuid4())


def _title(text: str, notes: list) -> str:
    text = " ".join(text.split())
    if len(text) > TITLE_MAX:
        notes.append(
            _("The title « %(start)s… » is longer than %(max)s characters: it was shortened.")
            % {"start": text[:60], "max": TITLE_MAX}
        )
        text = text[: TITLE_MAX - 1].rstrip() + "…"
    return text


class _Warnings:
    """Warnings of one kind beyond a dozen are counted rather than listed."""

    def __init__(self):
        self.by_kind: dict[str, list] = {}

    def add(self, kind: str, message: str):
        self.by_kind.setdefault(kind, []).append(message)

    def listed(self) -> list[str]:
        out = []
        for messages in self.by_kind.values():
            out += messages[:WARNINGS_SHOWN]
            if len(messages) > WARNINGS_SHOWN:
                rest = len(messages) - WARNINGS_SHOWN
                out.append(_("… and %(count)s more of the same kind.") % {"count": rest})
        return out


def _classify(block: Block, mapping: str):
    """("division", rank, label, title) / ("article", label, title) / ("preamble", title)
    for a block the recognition takes for one, else None."""
    text = block.text
    if block.kind == PARAGRAPH and (len(text) > _LABEL_LINE or "\n" in text):
        return None
    if block.kind not in (HEADING, PARAGRAPH):
        return None
    if block.kind == PARAGRAPH and re.search(r"[.;:]$", text) and not _ARTICLE.match(text):
        return None
    found = _ARTICLE.match(text)
    if found:
        label = text[: found.start(2)].strip(" .:–—-") if found.group(2) else text.strip()
        # « Article 3 dit que… » is a sentence, not a label: a label is followed by a dash, a
        # colon or a full stop, or stands alone.
        after = text[found.end(1) :]
        if block.kind == PARAGRAPH and found.group(2) and not re.match(r"\s*[.:–—-]", after):
            return None
        return ("article", label, found.group(2).strip())
    found = _DIVISION.match(text)
    if found:
        rank = _DIVISIONS.index(found.group(1).lower())
        label = text[: found.start(3)].strip(" .:–—-") if found.group(3) else text.strip()
        return ("division", rank, label, found.group(3).strip())
    found = _PREAMBLE.match(text)
    if found:
        return ("preamble", found.group(1))
    return None


def structure(blocks: list[Block], *, kind: str, mapping: str = AUTO, language="fr") -> Draft:
    """Arrange ``blocks`` into sections, articles and paragraphs (see the module)."""
    typography = for_language(language)
    warnings = _Warnings()
    titles: list[str] = []
    draft = Draft(kind=kind)
    recognised = {}
    if mapping == AUTO:
        recognised = {i: c for i, b in enumerate(blocks) if (c := _classify(b, mapping))}
        if not any(c[0] == "article" for c in recognised.values()):
            recognised = {}
            levels = sorted({b.level for b in blocks if b.kind == HEADING})
            mapping = (
                f"{levels[0]}-{levels[1]}"
                if len(levels) > 1
                else f"0-{levels[0]}"
                if levels
                else "0-0"
            )
    if recognised:
        ranks = sorted({c[1] for c in recognised.values() if c[0] == "division"})
        section_rank = ranks[-1] if ranks else None
        section_level = article_level = None
    else:
        section_level, article_level = (int(n) or None for n in mapping.split("-"))
        section_rank = None
    prefixes: dict[int, str] = {}
    section: DraftSection | None = None
    article: DraftArticle | None = None
    document_title = ""

    def open_section(title):
        nonlocal section, article
        prefix = " — ".join(prefixes[r] for r in sorted(prefixes))
        section = DraftSection(title=_title(f"{prefix} — {title}" if prefix else title, titles))
        draft.sections.append(section)
        article = None

    def open_article(label, title):
        nonlocal article
        if section is None:
            open_section(document_title or _("Text"))
        article = DraftArticle(title=_title(title, titles), label=label)
        section.articles.append(article)

    def add_paragraph(fragment):
        if article is None:
            if section is not None and not section.articles:
                open_article("", section.title)
            else:
                if section is None:
                    open_section(_("Introduction"))
                open_article("", _("Introduction"))
                warnings.add(
                    "introduction",
                    _("The text before the first article was put in an « %(title)s » article.")
                    % {"title": article.title},
                )
        article.paragraphs.append(
            DraftParagraph(
                html=fragment,
                value=typography(to_value(fragment)),
                rich=paragraph_rich_text(fragment, typography),
            )
        )

    for index, block in enumerate(blocks):
        found = recognised.get(index)
        if found and found[0] == "division":
            _what, rank, label, title = found
            text = typography(f"{label} – {title}" if title else label)
            if rank == section_rank:
                open_section(text)
            else:
                prefixes = {r: t for r, t in prefixes.items() if r < rank}
                prefixes[rank] = text
                section = None
                article = None
            continue
        if found and found[0] == "article":
            open_article(found[1], typography(found[2]))
            continue
        if found and found[0] == "preamble":
            open_section(typography(block.text))
            open_article("", typography(block.text))
            continue
        if block.kind == HEADING and not recognised:
            text = typography(block.text)
            if block.level == section_level:
                open_section(text)
                continue
            if block.level == article_level:
                open_article("", text)
                continue
            if block.level < (article_level or 99) and not draft.sections and not document_title:
                document_title = text
                warnings.add(
                    "title",
                    _("« %(title)s » was taken for the document's title.") % {"title": text},
                )
                continue
        if recognised and index == 0 and block.kind == PARAGRAPH and not found:
            text = block.text
            if len(text) <= _LABEL_LINE and not re.search(r"[.;:!?]$", text):
                document_title = typography(text)
                warnings.add(
                    "title",
                    _("« %(title)s » was taken for the document's title.")
                    % {"title": document_title},
                )
                continue
        if recognised and block.kind in (HEADING, PARAGRAPH):
            text = typography(block.text)
            short = len(text) <= _LABEL_LINE and not re.search(r"[.;:!?]$", text)
            untitled = article is not None and not article.title and not article.paragraphs
            if untitled and (block.kind == HEADING or short):
                article.title = _title(text, titles)
                continue
        if block.kind == HEADING and recognised:
            text = typography(block.text)
            if article is None and section is None and not document_title:
                document_title = text
                warnings.add(
                    "title",
                    _("« %(title)s » was taken for the document's title.") % {"title": text},
                )
                continue
        if block.kind in (HEADING, PARAGRAPH, ITEM):
            fragment = block.html
            for mark, note in block.notes:
                fragment += f"<br>[{mark}] {note}"
                warnings.add(
                    "footnote",
                    _("Footnote %(mark)s was appended to its paragraph, in %(where)s.")
                    % {"mark": mark, "where": _where(article, section)},
                )
            add_paragraph(fragment)
        elif block.kind == TABLE:
            rows = [" – ".join(c for c in row if c) for row in block.rows]
            rows = [r for r in rows if r.strip()]
            for row in rows:
                add_paragraph(row.replace("&", "&amp;").replace("<", "&lt;"))
            warnings.add(
                "table",
                ngettext(
                    "A table cannot be kept as a table: in %(where)s, its %(count)s row became "
                    "a paragraph. Check it.",
                    "A table cannot be kept as a table: in %(where)s, its %(count)s rows became "
                    "paragraphs, one per row. Check them.",
                    len(rows),
                )
                % {"where": _where(article, section), "count": len(rows)},
            )
        elif block.kind == IMAGE:
            warnings.add(
                "image",
                _("An image cannot be kept: the one in %(where)s was left out.")
                % {"where": _where(article, section)},
            )
    _check(draft, warnings)
    for message in titles:
        warnings.add("long_title", message)
    draft.warnings = warnings.listed()
    return draft


def _where(article, section) -> str:
    if article is not None:
        return f"« {article.label or article.title} »"
    if section is not None:
        return f"« {section.title} »"
    return _("the beginning of the document")


def _check(draft: Draft, warnings: _Warnings) -> None:
    number = 0
    for section in draft.sections:
        for article in list(section.articles):
            if not article.paragraphs:
                section.articles.remove(article)
                warnings.add(
                    "empty",
                    _("« %(title)s » has no paragraph: it was left out.")
                    % {"title": article.label or article.title},
                )
                continue
            number += 1
            if not article.title:
                article.title = article.label or _("Article %(number)s") % {"number": number}
                warnings.add(
                    "untitled",
                    _("« %(label)s » has no title: give it one in the editor.")
                    % {"label": article.title},
                )
            document_number = re.search(r"\d+", article.label or "")
            mismatch = document_number and int(document_number.group()) != number
            if mismatch and "numbering" not in warnings.by_kind:
                warnings.add(
                    "numbering",
                    _(
                        "From « %(label)s » on, the document's numbers differ from the text's: "
                        "articles are numbered through the whole text (it is article %(number)s "
                        "here)."
                    )
                    % {"label": article.label, "number": number},
                )
            for position, paragraph in enumerate(article.paragraphs, start=1):
                if len(paragraph.value) > LONG_PARAGRAPH:
                    warnings.add(
                        "long",
                        _(
                            "Paragraph %(position)s of article %(number)s is very long "
                            "(%(length)s characters): consider splitting it."
                        )
                        % {"position": position, "number": number, "length": len(paragraph.value)},
                    )
    for section in list(draft.sections):
        if not section.articles:
            draft.sections.remove(section)
            warnings.add(
                "empty_section",
                _("« %(title)s » has no article: it was left out.") % {"title": section.title},
            )
    if not draft.sections:
        raise ImportRefused(_("This document is empty: there is no text to import."))


# -- identities kept from the text it replaces -----------------------------------------------


def _words(text: str) -> str:
    return " ".join(text.split())


def keep_identities(draft: Draft, body) -> Draft:
    """Give the draft's sections, articles and paragraphs the block ids of ``body`` (the text
    it replaces) where they match: a paragraph whose wording is unchanged keeps its id
    (« kept »), one whose wording is similar enough (difflib ratio ≥ 0.8, in the same
    article first, then anywhere) keeps it too (« changed »); every other is « new », and the
    previous paragraphs that found no match are listed as removed."""
    outline = body_outline(body)
    old_sections = {}
    for section in outline:
        old_sections.setdefault(_words(section.title), []).append(section.key)
    old_articles: dict[str, list] = {}
    old_paragraphs = []  # (key, article key, article title, text)
    for section in outline:
        for article in section.articles:
            old_articles.setdefault(_words(article.title), []).append(article.key)
            for p in article.paragraphs:
                old_paragraphs.append((p.key, article.key, article.title, p.text))
    for section in draft.sections:
        keys = old_sections.get(_words(section.title))
        section.key = keys.pop(0) if keys else _new_key()
    for article in draft.articles:
        keys = old_articles.get(_words(article.title))
        article.key = keys.pop(0) if keys else _new_key()
    unused = {key: (article_key, title, text) for key, article_key, title, text in old_paragraphs}
    by_text: dict[str, list] = {}
    for key, article_key, _article_title, text in old_paragraphs:
        by_text.setdefault(_words(text), []).append((key, article_key))
    pending = []
    for article in draft.articles:
        for paragraph in article.paragraphs:
            candidates = [c for c in by_text.get(_words(paragraph.words), []) if c[0] in unused]
            if candidates:
                same = [c for c in candidates if c[1] == article.key]
                key = (same or candidates)[0][0]
                paragraph.key, paragraph.status = key, "kept"
                del unused[key]
            else:
                pending.append((article, paragraph))

    def best(paragraph, keys):
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(paragraph.words)
        found, score = None, SIMILAR
        for key in keys:
            matcher.set_seq1(unused[key][2])
            if matcher.real_quick_ratio() < score or matcher.quick_ratio() < score:
                continue
            ratio = matcher.ratio()
            if ratio >= score:
                found, score = key, ratio
        return found

    for same_article in (True, False):
        left = []
        for article, paragraph in pending:
            keys = [k for k, v in unused.items() if not same_article or v[0] == article.key]
            key = best(paragraph, keys)
            if key is None:
                left.append((article, paragraph))
                continue
            paragraph.key, paragraph.status = key, "changed"
            paragraph.previous = unused.pop(key)[2]
        pending = left
    for _article, paragraph in pending:
        paragraph.key, paragraph.status = _new_key(), "new"
    draft.removed = [(key, title, text) for key, (_a, title, text) in unused.items()]
    return draft


# -- writes ------------------------------------------------------------------------------------


@transaction.atomic
def import_first_iteration(
    *, charter, draft: Draft, by, filename: str = ""
) -> CharterIterationPage:
    """Create the charter's first iteration from ``draft``, as an unpublished draft."""
    Page.objects.select_for_update().get(pk=charter.pk)
    if CharterIterationPage.objects.child_of(charter).exists():
        raise ImportRefused(
            _("This charter already has an iteration: import into its draft instead.")
        )
    with translation.override(charter.locale.language_code):
        title = _("Version %(number)s") % {"number": 1}
        label = _("Draft submitted for consultation")
    slug, suffix = "v1", 1
    while not Page._slug_is_available(slug, charter):
        suffix += 1
        slug = f"v1-{suffix}"
    page = CharterIterationPage(
        title=title, slug=slug, label=label, summary="", body=draft.raw_body(), live=False, owner=by
    )
    charter.add_child(instance=page)
    page.save_revision(user=by, log_action=True)
    log(instance=page, action=ACTION_IMPORT, user=by, data=_log_data(draft, filename))
    return page


@transaction.atomic
def import_into_draft(*, iteration, draft: Draft, by, filename: str = "") -> CharterIterationPage:
    """Replace the text of a draft iteration by ``draft`` (a new revision, not published)."""
    source = CharterIterationPage.objects.select_for_update().get(pk=iteration.source.pk)
    if source.frozen_at is not None:
        raise ImportRefused(
            _("This iteration was opened for consultation: its text cannot be replaced.")
        )
    page = source.get_latest_revision_as_object()
    page.body = draft.raw_body()
    page.save_revision(user=by, log_action=True)
    log(instance=source, action=ACTION_IMPORT, user=by, data=_log_data(draft, filename))
    return source


def _log_data(draft: Draft, filename: str) -> dict:
    return {"file": filename, "format": draft.kind, **draft.counts()}
