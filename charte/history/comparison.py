"""How a text came to be: two iterations compared paragraph by paragraph, and one paragraph's
chain through every iteration.

Paragraphs are aligned through ``derived_from`` (followed through the iterations in between
when the two compared are not consecutive). An aligned pair is *unchanged* or *modified*, and
*moved* when it left its article or the order of the others; a paragraph of the newer text
with no ancestor is *added*, one of the older text with no descendant *removed*; a removed
paragraph whose words went into another paragraph is shown as *merged* into it. Each change
carries the amendments integrated along the way: those whose resulting paragraph it is, and
deletions of the paragraph itself.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property

from charte.amendments.models import Amendment
from charte.core.diff import diff_html, typography_only
from charte.core.locales import default_locale
from charte.texts.pages import CharterIterationPage
from charte.texts.paragraphs import Paragraph
from charte.texts.reading import translated_texts

ADDED, REMOVED, MODIFIED, UNCHANGED = "added", "removed", "modified", "unchanged"
WORD = re.compile(r"\w+", re.UNICODE)
# A removed paragraph is merged into another when this share of its words reappears there.
MERGE_SHARE = 0.6
ADDED_MERGE_SHARE = 0.8  # into a paragraph with no ancestor: nearly all of them


@dataclass
class Change:
    status: str
    old: Paragraph | None = None
    new: Paragraph | None = None
    old_text: str = ""
    new_text: str = ""
    old_lang: str | None = None
    new_lang: str | None = None
    moved: bool = False
    merged_into: Paragraph | None = None
    merged_from: list = field(default_factory=list)
    amendments: list = field(default_factory=list)

    @property
    def row(self) -> Paragraph:
        return self.new or self.old

    @property
    def diff(self) -> str:
        return diff_html(self.old_text, self.new_text)

    @property
    def typography_only(self) -> bool:
        """Modified by its spacing or apostrophes alone, not reworded."""
        return self.status == MODIFIED and typography_only(self.old_text, self.new_text)

    @property
    def anchor(self) -> str:
        return f"change-{self.row.key}"


@dataclass
class Block:
    """Consecutive changes, or a run of unchanged paragraphs shown folded."""

    unchanged: bool
    changes: list


@dataclass
class Comparison:
    old: CharterIterationPage
    new: CharterIterationPage
    changes: list

    def count(self, status) -> int:
        return sum(1 for change in self.changes if change.status == status)

    @property
    def counts(self) -> dict:
        counts = {status: self.count(status) for status in (ADDED, REMOVED, MODIFIED, UNCHANGED)}
        counts["moved"] = sum(1 for change in self.changes if change.moved)
        counts["merged"] = sum(1 for change in self.changes if change.merged_into)
        return counts

    @property
    def amendments(self) -> list:
        seen, result = set(), []
        for change in self.changes:
            for amendment in change.amendments:
                if amendment.pk not in seen:
                    seen.add(amendment.pk)
                    result.append(amendment)
        return sorted(result, key=lambda a: a.number)

    def blocks(self) -> list[Block]:
        blocks: list[Block] = []
        for change in self.changes:
            unchanged = change.status == UNCHANGED and not change.moved
            if blocks and blocks[-1].unchanged == unchanged:
                blocks[-1].changes.append(change)
            else:
                blocks.append(Block(unchanged, [change]))
        return blocks


def frozen_iterations(charter_source) -> list[CharterIterationPage]:
    """The source-language iterations of a charter whose text is frozen, oldest first."""
    return list(
        CharterIterationPage.objects.child_of(charter_source)
        .filter(frozen_at__isnull=False)
        .order_by("number")
    )


def reading_texts(page, *, markup=False) -> tuple[dict, str | None]:
    """The wording of each block id in ``page``'s language, and the language of the rows
    (``None`` when the page is itself the source); with ``markup``, each translated
    paragraph's markup too (see :func:`translated_texts`)."""
    source = page.source
    if source.pk == page.pk:
        # A source page read among another language's versions says its language.
        return {}, (page.in_source_language or None)
    return translated_texts(page.body, markup=markup), source.locale.language_code


def wording(row, texts, source_lang) -> tuple[str, str | None]:
    text = texts.get(row.key)
    return (text, None) if text else (row.text, source_lang)


def _stable(pairs) -> set:
    """Indices of ``pairs`` (old position by new order) that keep their relative order: the
    longest increasing subsequence; the others moved."""
    tails, tail_index, previous = [], [], [-1] * len(pairs)
    for index, value in enumerate(pairs):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if tails[middle] < value:
                low = middle + 1
            else:
                high = middle
        if low == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[low] = value
            tail_index[low] = index
        previous[index] = tail_index[low - 1] if low else -1
    stable, index = set(), tail_index[-1] if tail_index else -1
    while index >= 0:
        stable.add(index)
        index = previous[index]
    return stable


def _words(text) -> list[str]:
    """The words that carry meaning (short ones such as « de », « la » would match anywhere)."""
    return [w.lower() for w in WORD.findall(text or "") if len(w) > 2]


def _share_found(words, other) -> float:
    """The share of ``words`` that appear, in order, in the words ``other``."""
    if not words:
        return 0.0
    matcher = difflib.SequenceMatcher(None, words, other, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(words)


def _merged_into(row, receivers) -> Change | None:
    """The change that took in the words of the removed paragraph ``row``, if one did: a
    neighbour of its (within two places in the older text) that now holds most of its words,
    which were not there before; or a new paragraph that holds nearly all of them."""
    words = _words(row.text)
    best, best_share = None, 0.0
    for change, new_words, old_words in receivers:
        if change.old is not None:
            if abs(change.old.position - row.position) > 2:
                continue
            needed = MERGE_SHARE
        else:
            needed = ADDED_MERGE_SHARE
        share = _share_found(words, new_words)
        if share >= needed and share > best_share and _share_found(words, old_words) < needed:
            best, best_share = change, share
    return best


def _integrated(iteration_ids) -> dict[str, list]:
    """Amendments integrated into these iterations, by the paragraph key they concern: the
    resulting paragraph, or for a deletion the paragraph deleted."""
    by_key: dict[str, list] = {}
    amendments = (
        Amendment.objects.filter(integrated_into_id__in=iteration_ids, integration_removed=False)
        .select_related("author", "iteration", "paragraph", "workshop")
        # Each amendment's version without its body (a 1,000-paragraph body decoded once per
        # amendment took most of the time of the page).
        .defer("iteration__body")
        .order_by("number")
    )
    for amendment in amendments:
        key = amendment.integrated_key or amendment.paragraph.key
        by_key.setdefault(key, []).append(amendment)
    return by_key


def compare(old_page, new_page) -> Comparison:
    """``old_page`` and ``new_page``: two frozen iterations of one charter, in the reading
    language (translations show their own wording, the rows' where not translated)."""
    old, new = old_page.source, new_page.source
    between = [
        it.pk for it in frozen_iterations(new.get_parent()) if old.number < it.number <= new.number
    ]
    old_rows = list(Paragraph.objects.filter(iteration=old).order_by("position"))
    new_rows = list(Paragraph.objects.filter(iteration=new).order_by("position"))
    links = dict(
        Paragraph.objects.filter(iteration_id__in=between).values_list("id", "derived_from_id")
    )
    keys_of = dict(Paragraph.objects.filter(iteration_id__in=between).values_list("id", "key"))
    old_by_id = {row.pk: row for row in old_rows}
    old_texts, old_lang = reading_texts(old_page)
    new_texts, new_lang = reading_texts(new_page)
    integrated = _integrated(between)

    changes: list[Change] = []
    matched: dict[int, Change] = {}
    for row in new_rows:
        chain_keys, ancestor = {row.key}, links.get(row.pk)
        while ancestor is not None and ancestor not in old_by_id:
            chain_keys.add(keys_of.get(ancestor, ""))
            ancestor = links.get(ancestor)
        text, lang = wording(row, new_texts, new_lang)
        change = Change(ADDED, new=row, new_text=text, new_lang=lang)
        if ancestor is not None:
            previous = old_by_id[ancestor]
            change.old = previous
            change.old_text, change.old_lang = wording(previous, old_texts, old_lang)
            change.status = UNCHANGED if previous.text == row.text else MODIFIED
            change.moved = previous.article_key != row.article_key
            matched[previous.pk] = change
        change.amendments = sorted(
            {a.pk: a for key in chain_keys for a in integrated.get(key, [])}.values(),
            key=lambda a: a.number,
        )
        changes.append(change)

    pairs = [change for change in changes if change.old is not None]
    stable = _stable([change.old.position for change in pairs])
    for index, change in enumerate(pairs):
        if index not in stable:
            change.moved = True

    # Removed paragraphs go back where they stood: after the nearest earlier paragraph of the
    # old text that is still there.
    receivers = [
        (change, _words(change.new.text), _words(change.old.text if change.old else ""))
        for change in changes
        if change.status != UNCHANGED
    ]
    after: dict[int | None, list] = {}
    anchor = None
    for row in old_rows:
        if row.pk in matched:
            anchor = row.pk
            continue
        text, lang = wording(row, old_texts, old_lang)
        removed = Change(REMOVED, old=row, old_text=text, old_lang=lang)
        removed.amendments = integrated.get(row.key, [])
        best = _merged_into(row, receivers)
        if best is not None:
            removed.merged_into = best.new
            best.merged_from.append(row)
        after.setdefault(anchor, []).append(removed)
    ordered = list(after.get(None, []))
    for change in changes:
        ordered.append(change)
        if change.old is not None:
            ordered.extend(after.get(change.old.pk, []))
    return Comparison(old_page, new_page, ordered)


@dataclass
class Step:
    """One iteration in a paragraph's history."""

    iteration: CharterIterationPage  # in the reading language where it is translated
    row: Paragraph
    text: str
    lang: str | None
    comment_count: int
    amendments: list  # proposed on this wording
    integrates: list  # integrated into this wording
    previous_text: str | None = None  # the wording of the step before, if any

    @property
    def changed(self) -> bool:
        return self.previous_text is not None and self.previous_text != self.text

    # Computed when shown only: a reader whose copy is still current costs no diff.
    @cached_property
    def diff(self) -> str:
        return diff_html(self.previous_text, self.text) if self.previous_text is not None else ""

    @cached_property
    def typography_only(self) -> bool:
        return typography_only(self.previous_text or "", self.text)

    @property
    def shown(self) -> tuple:
        """What the history shows of this step that can change (its entity tag)."""
        return (
            self.iteration.pk,
            self.iteration.live_revision_id,
            self.iteration.title,
            self.row.pk,
            self.text,
            self.comment_count,
            tuple(
                (
                    a.pk,
                    a.status,
                    a.response,
                    a.answered_at,
                    a.author_id,
                    a.author.author_type,
                    a.workshop_id,
                    str(a.author_name),  # a new pseudonym, an erased account, a workshop
                )
                for a in self.amendments
            ),
            tuple((a.pk, a.status, a.author_id, str(a.author_name)) for a in self.integrates),
        )


def paragraph_history(page, key) -> list[Step]:
    """The paragraph ``key`` of the iteration ``page`` through every frozen iteration of its
    charter, oldest first: back through ``derived_from``, and on to its descendants."""
    from charte.discussions.services import comment_counts

    source = page.source
    iterations = frozen_iterations(source.get_parent())
    rows = {
        row.pk: row
        for row in Paragraph.objects.filter(iteration_id__in=[it.pk for it in iterations]).filter(
            key=key
        )
    }
    start = next((row for row in rows.values() if row.iteration_id == source.pk), None)
    if start is None:
        return []
    chain = [start]
    while chain[0].derived_from_id in rows:
        chain.insert(0, rows[chain[0].derived_from_id])
    children = {row.derived_from_id: row for row in rows.values() if row.derived_from_id}
    while chain[-1].pk in children:
        chain.append(children[chain[-1].pk])

    by_id = {it.pk: it for it in iterations}
    public = set(
        CharterIterationPage.objects.filter(pk__in=by_id)
        .live()
        .public()
        .values_list("pk", flat=True)
    )
    translated = {
        it.translation_key: it
        for it in CharterIterationPage.objects.filter(
            translation_key__in=[it.translation_key for it in iterations],
            locale_id=page.locale_id,
        )
        .live()
        .public()
    }
    counts = comment_counts([row.pk for row in chain])
    proposed: dict[int, list] = {}
    for amendment in (
        Amendment.objects.filter(paragraph__in=chain)
        .select_related("author", "iteration", "paragraph", "answered_by", "workshop")
        .defer("iteration__body")
        .order_by("number")
    ):
        proposed.setdefault(amendment.paragraph_id, []).append(amendment)
    integrated = _integrated([row.iteration_id for row in chain])

    steps, previous_text = [], None
    for row in chain:
        if row.iteration_id not in public:
            continue
        iteration = translated.get(by_id[row.iteration_id].translation_key)
        if iteration is None:  # not (yet) translated: the source page, marked as such
            iteration = by_id[row.iteration_id]
            if iteration.locale_id != page.locale_id:
                iteration.in_source_language = default_locale().language_code
        texts, lang = reading_texts(iteration)
        text, text_lang = wording(row, texts, lang)
        steps.append(
            Step(
                iteration=iteration,
                row=row,
                text=text,
                lang=text_lang,
                comment_count=counts.get(row.pk, 0),
                amendments=proposed.get(row.pk, []),
                integrates=[
                    a
                    for a in integrated.get(row.key, [])
                    if a.integrated_into_id == row.iteration_id
                ],
                previous_text=previous_text,
            )
        )
        previous_text = text
    return steps
