"""What a reader sees of an iteration: the frozen outline, in the page's language.

Once frozen, the structure and the reference wording come from the Paragraph rows; a
translation supplies its own wording for each block id, and anything not translated yet is
shown in the original language, marked with its ``lang`` so screen readers pronounce it right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext, ngettext

from charte.texts.outline import body_outline, rows_outline
from charte.texts.richtext import safe_html
from charte.texts.translations import untranslated_keys

# What the packages above texts (discussions, amendments, debates) know about a text, which
# texts may not import: CharteConfig.ready() fills this registry, by name.
#   comment_counts(paragraph_ids) -> {paragraph id: visible comments}
#   comment_counts_by_origin(paragraph_ids) -> {paragraph id: {"total": n, "workshop": n,
#       "register": n}}: visible comments, and those from each offline origin
#   margin_counts(source) -> {paragraph id: {"total": n, "statuses": {status: n},
#       "origins": {"workshop": n, "register": n}}}
#   amendment_status_label(status) -> the label of an amendment status, in the active language
#   commitment_counts(iteration) -> {article number: published commitments} of an adopted
#       version
#   integrated_amendments(source) -> the previous version's amendments that source integrates
#   paragraph_amendments(row) -> the amendments of one paragraph, with their supports counted
#   charter_debates(charter) -> the published debates of a charter
#   charter_workshops(charter) -> {"upcoming": [...], "past": [...], "more": bool}: a few of
#       each, for the charter page
READERS: dict[str, Callable] = {}


@dataclass
class ReadingParagraph:
    key: str
    number: int
    text: str
    lang: str | None
    url: str
    row: object = None
    html: str = ""  # allow-listed markup (emphasis, links, lists), safe to show
    comment_count: int = 0
    earlier_comment_count: int = 0
    comment_label: str = ""
    label: str = ""
    full_label: str = ""
    amendment_count: int = 0
    amendment_label: str = ""
    # « , dont 2 en atelier »: how many of its comments / amendments came from workshops or
    # paper registers ("" when none).
    comment_origin_note: str = ""
    amendment_origin_note: str = ""
    amendment_statuses: dict = field(default_factory=dict)
    integrates: list = field(default_factory=list)

    @property
    def anchor(self):
        return f"p-{self.key}"


@dataclass
class ReadingArticle:
    key: str
    number: int
    title: str
    lang: str | None
    paragraphs: list = field(default_factory=list)
    link_prefix: str = ""

    @property
    def anchor(self):
        return f"article-{self.number}"


@dataclass
class ReadingSection:
    key: str
    number: int
    title: str
    lang: str | None
    articles: list = field(default_factory=list)


def reading_outline(
    page, *, article_of: str | None = None, preview: bool = False
) -> list[ReadingSection]:
    """The outline of ``page`` as read; with ``article_of`` (a paragraph key of a frozen text),
    only the article holding that paragraph (a paragraph's page does not read the whole text).
    A ``preview`` (of a revision not published yet) reads ``page`` as given and keeps nothing."""
    source = page.source
    if source.frozen_at is None:
        return _build(body_outline(page.body), {}, None)
    rows = source.paragraphs.order_by("position")
    if article_of is not None:
        rows = rows.filter(
            article_key__in=source.paragraphs.filter(key=article_of).values("article_key")
        )
    rows = list(rows)
    translations = {}
    source_lang = None
    if source.pk != page.pk:
        translations = _translations(page, keep=not preview)
        source_lang = source.locale.language_code
    # The paragraph route is reversed once, then filled with each key (block ids need no
    # quoting): reversing it per paragraph took a third of a 1,000-paragraph page.
    marker = "paragraph-key"
    prefix, suffix = ((page.url or "") + page.reverse_subpage("paragraph", args=[marker])).split(
        marker
    )

    def address(key):
        return f"{prefix}{key}{suffix}"

    return _build(rows_outline(rows), translations, source_lang, address)


def _translations(page, *, keep: bool = True) -> dict:
    """The wordings of a translation of a frozen text, without what wagtail-localize has not
    translated yet (shown in the source's wording, as such); kept per revision, since parsing a
    long body is the costly part of reading one paragraph of it."""
    published = page.last_published_at.timestamp() if page.last_published_at else 0
    key = f"translated-texts:{page.pk}:{page.latest_revision_id}:{published}"
    translations = cache.get(key) if keep else None
    if translations is None:
        translations = translated_texts(page.body, markup=True)
        for untranslated in untranslated_keys(page) or ():
            translations.pop(untranslated, None)
        if keep:
            cache.set(key, translations, 24 * 3600)
    return translations


def _pick(translations, key, original, source_lang):
    text = translations.get(key)
    if text:
        return text, None
    return original, source_lang


def _markup(translations, key, paragraph, lang):
    """The paragraph's markup in the language picked for it (``lang`` None: translated)."""
    html = translations.get(("html", key)) if lang is None and translations else paragraph.html
    return safe_html(html or "")


def _build(sections, translations, source_lang, address=None):
    """The reading outline; ``address(key)``, given for frozen paragraph rows, is each
    paragraph's address."""
    result = []
    for section in sections:
        title, lang = _pick(translations, section.key, section.title, source_lang)
        reading_section = ReadingSection(section.key, section.number, title, lang)
        result.append(reading_section)
        for article in section.articles:
            title, lang = _pick(translations, article.key, article.title, source_lang)
            reading_article = ReadingArticle(article.key, article.number, title, lang)
            reading_section.articles.append(reading_article)
            for paragraph in article.paragraphs:
                text, lang = _pick(translations, paragraph.key, paragraph.text, source_lang)
                reading_article.paragraphs.append(
                    ReadingParagraph(
                        key=paragraph.key,
                        number=paragraph.number,
                        text=text,
                        lang=lang,
                        url=address(paragraph.key) if address else "",
                        row=paragraph if address else None,
                        html=_markup(translations, paragraph.key, paragraph, lang),
                    )
                )
    return result


def translated_texts(body, markup=False) -> dict:
    """Wordings by block id; with ``markup``, also each paragraph's markup under
    ``("html", key)``."""
    texts = {}
    for section in body_outline(body):
        texts[section.key] = section.title
        for article in section.articles:
            texts[article.key] = article.title
            for paragraph in article.paragraphs:
                texts[paragraph.key] = paragraph.text
                if markup:
                    texts[("html", paragraph.key)] = paragraph.html
    return texts


def find_paragraph(sections, key):
    for section in sections:
        for article in section.articles:
            for paragraph in article.paragraphs:
                if paragraph.key == key:
                    return section, article, paragraph
    return None


def attach_labels(sections) -> None:
    """Give each paragraph the labels of its permanent link (« Alinéa 2 », « article 3,
    alinéa 2 ») and each article the prefix of its links, translated once per distinct value."""
    number_labels = {}
    link_word, full_word = (
        gettext("Paragraph %(number)s"),
        gettext("article %(article)s, paragraph %(number)s"),
    )
    for section in sections:
        for article in section.articles:
            article.link_prefix = gettext("Permanent link to article %(article)s:") % {
                "article": article.number
            }
            for paragraph in article.paragraphs:
                if paragraph.number not in number_labels:
                    number_labels[paragraph.number] = link_word % {"number": paragraph.number}
                paragraph.label = number_labels[paragraph.number]
                paragraph.full_label = full_word % {
                    "article": article.number,
                    "number": paragraph.number,
                }


def comment_label(count: int, earlier: int, labels: dict) -> str:
    """« 3 commentaires », « 2 commentaires sur les versions précédentes », « 1 commentaire,
    4 sur les versions précédentes », each distinct wording translated once (in ``labels``)."""
    if (count, earlier) not in labels:
        if not earlier:
            label = ngettext("%(counter)s comment", "%(counter)s comments", count) % {
                "counter": count
            }
        elif not count:
            label = ngettext(
                "%(counter)s comment on earlier versions",
                "%(counter)s comments on earlier versions",
                earlier,
            ) % {"counter": earlier}
        else:
            label = ngettext(
                "%(current)s comment, %(counter)s on earlier versions",
                "%(current)s comments, %(counter)s on earlier versions",
                count,
            ) % {"current": count, "counter": earlier}
        labels[(count, earlier)] = label
    return labels[(count, earlier)]


def earlier_chains(sections) -> dict[int, list[int]]:
    """For each frozen paragraph of ``sections``, its rows in the earlier versions whose
    discussion it carries (see :func:`_earlier_chains`)."""
    return _earlier_chains(
        [p.row for s in sections for a in s.articles for p in a.paragraphs if p.row is not None]
    )


def comment_ids(paragraph_ids, chains) -> list[int]:
    """The paragraph ids whose comments the margins count: the text's and those it carries."""
    earlier = {pk for chain in chains.values() for pk in chain}
    return list(paragraph_ids) + sorted(earlier)


def attach_comment_counts(sections) -> None:
    """Give each frozen paragraph its number of visible comments (one query) and the labels
    of its links, translated once per distinct value rather than once per paragraph (the page
    of a long text renders hundreds of them)."""
    paragraphs = [
        p for s in sections for a in s.articles for p in a.paragraphs if p.row is not None
    ]
    if not paragraphs:
        return
    carried = earlier_chains(sections)
    by_origin = READERS["comment_counts_by_origin"](
        comment_ids([p.row.pk for p in paragraphs], carried)
    )
    counts = {pk: entry["total"] for pk, entry in by_origin.items()}
    notes = OriginNotes()
    labels = {}
    attach_labels(sections)
    for paragraph in paragraphs:
        count = counts.get(paragraph.row.pk, 0)
        paragraph.comment_count = count
        if count:
            paragraph.comment_origin_note = notes.note(by_origin[paragraph.row.pk])
        earlier = sum(counts.get(pk, 0) for pk in carried.get(paragraph.row.pk, ()))
        paragraph.earlier_comment_count = earlier
        paragraph.comment_label = comment_label(count, earlier, labels)


class OriginNotes:
    """« , dont 2 en atelier », « , dont 1 en atelier et 1 sur registre papier »: how many of a
    paragraph's contributions came from workshops and paper registers, each distinct wording
    translated once (a long text has hundreds of margins)."""

    def __init__(self):
        self._cache: dict[tuple, str] = {}

    def note(self, counts: dict) -> str:
        key = (counts.get("workshop", 0), counts.get("register", 0))
        if key not in self._cache:
            self._cache[key] = self._word(*key)
        return self._cache[key]

    @staticmethod
    def _word(workshop: int, register: int) -> str:
        parts = []
        if workshop:
            parts.append(
                ngettext("%(count)s in a workshop", "%(count)s in workshops", workshop)
                % {"count": workshop}
            )
        if register:
            parts.append(
                ngettext(
                    "%(count)s from a paper register", "%(count)s from paper registers", register
                )
                % {"count": register}
            )
        if not parts:
            return ""
        if len(parts) == 2:
            parts = [gettext("%(first)s and %(second)s") % {"first": parts[0], "second": parts[1]}]
        return gettext(", including %(parts)s") % {"parts": parts[0]}


def _earlier_chains(rows) -> dict[int, list[int]]:
    """For each frozen paragraph row, the ids of the same paragraph in the earlier versions
    while its wording is unchanged (what it carries the discussion of). One query for the whole
    text: the earlier rows of every paragraph, read as (id, wording, previous id)."""
    from charte.texts.paragraphs import Paragraph

    rows = [row for row in rows if row.derived_from_id is not None]
    if not rows:
        return {}
    earlier = {
        pk: (" ".join(text.split()), derived)
        for pk, text, derived in Paragraph.objects.filter(key__in={row.key for row in rows})
        .exclude(iteration_id=rows[0].iteration_id)
        .values_list("pk", "text", "derived_from_id")
    }
    chains = {}
    for row in rows:
        chain, wording, previous = [], " ".join(row.text.split()), row.derived_from_id
        while previous in earlier and earlier[previous][0] == wording:
            chain.append(previous)
            previous = earlier[previous][1]
        if chain:
            chains[row.pk] = chain
    return chains


def attach_provenance(sections, source) -> None:
    """Give each paragraph the amendments of the previous version whose wording it carries
    (one query; the first version integrates none)."""
    if source.number <= 1:
        return
    by_key: dict[str, list] = {}
    for amendment in READERS["integrated_amendments"](source):
        by_key.setdefault(amendment.integrated_key, []).append(amendment)
    if not by_key:
        return
    for section in sections:
        for article in section.articles:
            for paragraph in article.paragraphs:
                paragraph.integrates = by_key.get(paragraph.key, [])
