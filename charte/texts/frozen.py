"""The text of a frozen version, rendered once per language and kept; its margins merged in.

Once a version is opened, its text never changes (DESIGN §3, invariant 2): its table of contents,
sections, articles and paragraphs are rendered once per page (a version and each of its
translations) and revision, and kept. What changes — each paragraph's counts of
comments and amendments with their statuses, the commitments under each article of the adopted
version, the amendments a wording integrates — is left in the kept rendering as a marker
(``<!--m:key-->``, ``<!--c:number-->``, ``<!--p:key-->``) and filled at each view from a few
queries restricted to the version (one per kind), in one pass over the kept markup. The
amendments a version integrates are settled before it opens: a rendering records whether there
are any, so that the text of a version that integrates none does not ask at each view.

The kept rendering is keyed by the page, its latest revision and publication, its address and
the language, so publishing a translation, moving or renaming a charter renders it again. It is
stored in the database for as long as the page exists (a ``FrozenRendering`` row, replaced when
the key changes), and each process keeps the few it serves most in memory. Opening a version
queues its rendering in every language it is published in, so its first reader does not wait.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from html import escape  # Django's, lazy-aware, costs thrice as much per call

from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django_tasks import task

from charte.core.httpcache import RENDERING_VERSION
from charte.texts.reading import (
    READERS,
    OriginNotes,
    attach_labels,
    comment_ids,
    comment_label,
    earlier_chains,
    reading_outline,
)

# Bump when what a rendering keeps changes (its markup or its data): every version is then
# rendered again at its next view, instead of being served with what it lacks.
KEPT_FORMAT = 2
# How many kept renderings each process holds in memory (the versions read most).
IN_MEMORY = 16
MARKER = re.compile(r"<!--([mcp]):([^>]*?)-->")
MARGIN_INDENT = "\n                        "


@dataclass
class FrozenParagraph:
    pk: int
    url: str
    full_label: str


@dataclass
class FrozenText:
    """What is kept of a frozen version's rendering in one language."""

    html: str
    paragraphs: dict[str, FrozenParagraph] = field(default_factory=dict)
    chains: dict[int, list[int]] = field(default_factory=dict)
    amendments_url: str = ""
    # Whether a wording of the version integrates an amendment: settled before the version
    # opens, so a version that integrates none never asks again. None: not known (a rendering
    # kept before this was recorded), asked at each view.
    integrates: bool | None = None


class FrozenRendering(models.Model):
    """The kept rendering of a frozen version's text, for one page (a version or one of its
    translations) and one key (see :func:`frozen_key`)."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="frozen_renderings"
    )
    key = models.CharField(max_length=64, unique=True)
    html = models.TextField()
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "charte"

    def __str__(self):
        return f"{self.page_id}:{self.key}"

    def kept(self) -> FrozenText:
        return FrozenText(
            html=self.html,
            paragraphs={
                key: FrozenParagraph(**values)
                for key, values in self.data.get("paragraphs", {}).items()
            },
            chains={int(pk): chain for pk, chain in self.data.get("chains", {}).items()},
            amendments_url=self.data.get("amendments_url", ""),
            integrates=self.data.get("integrates"),
        )


class _Recent:
    """The renderings this process served last, at most ``size`` of them."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict[str, FrozenText] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key, value):
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self):
        with self.lock:
            self.items.clear()


recent = _Recent(IN_MEMORY)


def frozen_key(page) -> str:
    published = page.last_published_at.timestamp() if page.last_published_at else 0
    parts = (
        RENDERING_VERSION,
        KEPT_FORMAT,
        page.pk,
        page.latest_revision_id,
        published,
        page.url or "",
        translation.get_language(),
    )
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def frozen_text(page) -> FrozenText:
    """The kept rendering of ``page``'s frozen text: from this process's memory, else from the
    database, else rendered now and stored."""
    key = frozen_key(page)
    kept = recent.get(key)
    if kept is None:
        row = FrozenRendering.objects.filter(key=key).only("html", "data").first()
        kept = row.kept() if row is not None else keep(page, key)
        recent.put(key, kept)
    return kept


def keep(page, key: str) -> FrozenText:
    """Render ``page``'s frozen text and store it under ``key``, in place of its older ones."""
    kept = render_frozen(page)
    data = {
        "paragraphs": {p_key: asdict(p) for p_key, p in kept.paragraphs.items()},
        "chains": {str(pk): chain for pk, chain in kept.chains.items()},
        "amendments_url": kept.amendments_url,
        "integrates": kept.integrates,
    }
    try:
        with transaction.atomic():
            FrozenRendering.objects.filter(page_id=page.pk).exclude(key=key).delete()
            FrozenRendering.objects.create(page_id=page.pk, key=key, html=kept.html, data=data)
    except IntegrityError:
        pass  # another process stored the same rendering meanwhile
    return kept


def render_frozen(page, *, preview: bool = False) -> FrozenText:
    sections = reading_outline(page, preview=preview)
    attach_labels(sections)
    html = render_to_string(
        "charte/includes/iteration_text.html", {"sections": sections, "frozen": True}
    )
    return FrozenText(
        html=html,
        paragraphs={
            p.key: FrozenParagraph(pk=p.row.pk, url=p.url, full_label=p.full_label)
            for s in sections
            for a in s.articles
            for p in a.paragraphs
        },
        chains=earlier_chains(sections),
        amendments_url=(page.url or "") + page.reverse_subpage("amendments"),
        integrates=bool(READERS["integrated_amendments"](page.source)),
    )


def warm(page) -> None:
    """Render and store ``page``'s frozen text in its language, if it is not kept yet."""
    with translation.override(page.locale.language_code):
        frozen_text(page)


@task(backend="durable", queue_name="documents")
def warm_task(page_id: int) -> bool:
    """Run by the worker once a version (or a translation of one) is published: its frozen text
    rendered and stored before its first reader comes. False when there is nothing to keep."""
    from charte.texts.pages import CharterIterationPage

    page = CharterIterationPage.objects.live().filter(pk=page_id).first()
    if page is None or page.source.frozen_at is None:
        return False
    warm(page)
    return True


def _on_published(sender, instance, **kwargs):
    """A translation of an opened version published (or the version itself again)."""
    transaction.on_commit(lambda: warm_task.enqueue(instance.pk))


def _on_frozen(sender, iteration, **kwargs):
    """A version opened: its text, and its translations already published."""
    pages = [iteration.pk, *iteration.get_translations().live().values_list("pk", flat=True)]

    def enqueue():
        for pk in pages:
            warm_task.enqueue(pk)

    transaction.on_commit(enqueue)


def connect_signals() -> None:
    from wagtail.signals import page_published

    from charte.texts.pages import CharterIterationPage
    from charte.texts.paragraphs import paragraphs_frozen

    page_published.connect(
        _on_published, sender=CharterIterationPage, dispatch_uid="frozen-text-warm"
    )
    paragraphs_frozen.connect(_on_frozen, dispatch_uid="frozen-text-opened")


def render_text(page, *, adopted: bool, follow_up_url, preview: bool = False) -> str:
    """The frozen text of ``page`` with its margins as they are now (safe markup). Under each
    article of an ``adopted`` version, its commitments link to ``follow_up_url()``. A
    ``preview`` (of a revision not published yet: a translation's new wording) is rendered
    for the one who asked, never kept."""
    kept = render_frozen(page, preview=True) if preview else frozen_text(page)
    source = page.source
    fills = paragraph_margins(kept, source)
    if kept.integrates is not False:
        fills.update(_provenance(source))
    commitments = READERS["commitment_counts"](page) if adopted else {}
    if commitments:
        fills.update(_commitment_notes(commitments, follow_up_url()))
    return mark_safe(MARKER.sub(lambda match: fills.get(match.group(0), ""), kept.html))  # noqa: S308 - kept markup is rendered by our template, fills are escaped


def paragraph_margins(kept: FrozenText, source) -> dict[str, str]:
    """The margin of each paragraph: its comments (and those of earlier versions it carries),
    its amendments and their statuses; one query for each kind."""
    by_origin = READERS["comment_counts_by_origin"](
        comment_ids([p.pk for p in kept.paragraphs.values()], kept.chains)
    )
    amendments = READERS["margin_counts"](source)
    status_label = READERS["amendment_status_label"]
    notes, labels, amendment_labels = OriginNotes(), {}, {}
    amendments_url = escape(kept.amendments_url)
    fills = {}
    for key, paragraph in kept.paragraphs.items():
        entry = by_origin.get(paragraph.pk)
        count = entry["total"] if entry else 0
        earlier = sum(
            by_origin[pk]["total"] for pk in kept.chains.get(paragraph.pk, ()) if pk in by_origin
        )
        full = escape(paragraph.full_label)
        note = escape(notes.note(entry)) if count else ""
        html = (
            f'{MARGIN_INDENT}<a class="charter-paragraph__comments" href="{escape(paragraph.url)}'
            f'#discussion-title"><span class="charter-paragraph__count">'
            f"{escape(comment_label(count, earlier, labels))}</span>"
            + (f'<span class="charter-paragraph__origin">{note}</span>' if note else "")
            + f'<span class="visually-hidden"> – {full}</span></a>'
        )
        proposed = amendments.get(paragraph.pk)
        if proposed and proposed["total"]:
            total = proposed["total"]
            if total not in amendment_labels:
                amendment_labels[total] = escape(
                    ngettext("%(counter)s amendment", "%(counter)s amendments", total)
                    % {"counter": total}
                )
            note = escape(notes.note(proposed.get("origins", {})))
            html += (
                f'{MARGIN_INDENT}<a class="amendment-margin" href="{amendments_url}?paragraph='
                f'{escape(key)}">{amendment_labels[total]}'
                + (f'<span class="charter-paragraph__origin">{note}</span>' if note else "")
                + f'<span class="visually-hidden"> – {full}</span></a>'
                + "".join(
                    f' <span class="badge badge--{escape(status)}">'
                    f"{escape(status_label(status))} ({n})</span>"
                    for status, n in proposed["statuses"].items()
                )
            )
        fills[f"<!--m:{key}-->"] = html
    return fills


def _provenance(source) -> dict[str, str]:
    """« Cette rédaction intègre l’amendement n° 12 (…) » under the paragraphs that do (one
    query; the first version integrates none)."""
    if source.number is None or source.number <= 1:
        return {}
    by_key: dict[str, list] = {}
    for amendment in READERS["integrated_amendments"](source):
        by_key.setdefault(amendment.integrated_key, []).append(amendment)
    return {
        f"<!--p:{key}-->": render_to_string(
            "charte/includes/provenance.html",
            {"paragraph": {"integrates": amendments}},
        )
        for key, amendments in by_key.items()
    }


def _commitment_notes(commitments: dict[int, int], follow_up_url: str) -> dict[str, str]:
    """« 3 engagements » under each article of the adopted version that has any."""
    fills = {}
    for number, n in commitments.items():
        label = ngettext("%(counter)s commitment", "%(counter)s commitments", n) % {"counter": n}
        article = gettext("article %(number)s") % {"number": number}
        fills[f"<!--c:{number}-->"] = (
            f'<p class="article-commitments no-print"><a href="{escape(follow_up_url)}'
            f'#article-{number}">{escape(label)}<span class="visually-hidden"> – '
            f"{escape(article)}</span></a></p>"
        )
    return fills
