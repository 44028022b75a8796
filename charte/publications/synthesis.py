"""The synthesis of a closed consultation (« bilan de la concertation »), computed from the
data: who took part, when, on which articles, online or in workshops; the most discussed
paragraphs; every amendment with its answer. And the open-data export of every public
contribution, without personal data.

What counts as a contribution: a comment that readers can see (published, not hidden, not
deleted) on a paragraph of the iteration or on one of its amendments, and an amendment
(withdrawn ones included: they were proposed). Positions on amendments count towards the
participants, not the contributions.

Each contribution has its origin (:class:`charte.core.origins.Origin`): online, or entered by a
facilitator from a workshop or a paper register. The participants online are distinct accounts;
those of workshops and registers are the numbers the workshops declared (a facilitator who
entered what was said is not a participant).

The evaluation of the process (:mod:`charte.follow_up.evaluation`) is computed from what the
synthesis read, with the results of the participants' questionnaire
(:mod:`charte.follow_up.questionnaire`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from charte.accounts.models import author_type_label, fold_name
from charte.amendments.models import Amendment, AmendmentSupport
from charte.amendments.services import with_tallies
from charte.core.formatting import neutralise_formula
from charte.core.origins import Origin
from charte.discussions.models import Comment
from charte.follow_up.evaluation import Contributions, evaluate
from charte.follow_up.models import QuestionnaireResponse
from charte.follow_up.questionnaire import results as questionnaire_results
from charte.texts.pages import CharterIterationPage, Territory
from charte.texts.paragraphs import Paragraph
from charte.workshops.models import Workshop


@dataclass
class Bar:
    label: str
    value: int
    share: float = 0.0  # of the largest value, for the chart


@dataclass
class Figures:
    contributions: int
    comments: int
    amendments: int
    positions: int
    participants: int  # online: distinct accounts
    declared_participants: int = 0  # the sum of what the workshops and registers declared
    by_author_type: list = field(default_factory=list)
    by_territory: list = field(default_factory=list)
    by_day: list = field(default_factory=list)
    by_article: list = field(default_factory=list)
    by_origin: list = field(default_factory=list)
    most_discussed: list = field(default_factory=list)
    amendments_answered: list = field(default_factory=list)
    statuses: list = field(default_factory=list)
    by_workshop: list = field(default_factory=list)
    evaluation: object = None  # charte.follow_up.evaluation.Evaluation
    questionnaire: object = None  # charte.follow_up.questionnaire.Results


@dataclass
class WorkshopRow:
    """One workshop or register that contributed to the version, and what came of it."""

    workshop: Workshop
    url: str
    comments: int = 0
    amendments: int = 0
    answers: list = field(default_factory=list)  # Bars: amendments by status


def _bars(counter: Counter | list, order=None) -> list[Bar]:
    items = list(counter.items()) if isinstance(counter, Counter) else list(counter)
    if order == "value":
        items.sort(key=lambda item: (-item[1], item[0]))
    top = max((value for _label, value in items), default=0) or 1
    return [Bar(str(label), value, value / top) for label, value in items]


def visible_comments(paragraph_ids, amendment_ids):
    paragraph_type = ContentType.objects.get_for_model(Paragraph)
    amendment_type = ContentType.objects.get_for_model(Amendment)
    from django.db.models import Q

    return Comment.objects.filter(
        Q(content_type=paragraph_type, object_pk__in=[str(pk) for pk in paragraph_ids])
        | Q(content_type=amendment_type, object_pk__in=[str(pk) for pk in amendment_ids]),
        is_public=True,
        hidden_at__isnull=True,
        deleted_at__isnull=True,
    ).order_by()


def figures(source, page=None, *, with_texts: bool = False) -> Figures:
    """The synthesis of the source-language iteration ``source``, read on ``page`` (one of its
    translations, or itself by default: where the links lead), with the evaluation of the
    consultation and its questionnaire's results (free-text answers only ``with_texts``: for
    the team)."""
    paragraphs = {row.pk: row for row in Paragraph.objects.filter(iteration=source)}
    amendments = list(
        with_tallies(Amendment.objects.filter(iteration=source))
        .select_related("author", "paragraph", "workshop")
        .order_by("number")
    )
    # Their versions without the body (a 1,000-paragraph body decoded with each of 300
    # amendments took most of the synthesis's time).
    targets = CharterIterationPage.objects.defer("body").in_bulk(
        {a.integrated_into_id for a in amendments if a.integrated_into_id}
    )
    for amendment in amendments:
        amendment.iteration = source
        if amendment.integrated_into_id:
            amendment.integrated_into = targets[amendment.integrated_into_id]
    comments = list(
        visible_comments(paragraphs, [a.pk for a in amendments])
        .select_related("user")
        .only(
            "id",
            "submit_date",
            "object_pk",
            "content_type_id",
            "workshop_id",
            "user__id",
            "user__author_type",
            "user__author_type_confirmed_at",
            "user__deleted_at",
            "user__territory",
            "user__listed_territory_id",
        )
    )
    paragraph_type = ContentType.objects.get_for_model(Paragraph).pk
    amendment_paragraph = {a.pk: a.paragraph_id for a in amendments}
    supports = list(
        AmendmentSupport.objects.filter(amendment__iteration=source).select_related("user")
    )
    # The charter's list (of every language version of the charter: each names the same
    # places), by primary key and by folded name.
    listed = list(
        Territory.objects.filter(
            charter__translation_key=source.get_parent().translation_key
        ).order_by("sort_order", "pk")
    )

    # The people online: what a facilitator entered is the workshop's, not theirs.
    people = {}
    for comment in comments:
        if comment.user_id and not comment.workshop_id:
            people[comment.user_id] = comment.user
    for amendment in amendments:
        if not amendment.workshop_id:
            people[amendment.author_id] = amendment.author
    for support in supports:
        people[support.user_id] = support.user
    # Institutional types count as such once the team confirmed them, apart until then.
    by_type = Counter(
        author_type_label(user.public_author_type) or _("Not given") for user in people.values()
    )
    by_territory = territory_counts(people.values(), listed)

    days = Counter()
    articles = Counter()
    discussed = Counter()
    for comment in comments:
        days[timezone.localtime(comment.submit_date).date()] += 1
        pk = int(comment.object_pk)
        paragraph_id = (
            pk if comment.content_type_id == paragraph_type else amendment_paragraph.get(pk)
        )
        if paragraph_id in paragraphs:
            articles[paragraphs[paragraph_id].article_number] += 1
            discussed[paragraph_id] += 1
    for amendment in amendments:
        days[timezone.localtime(amendment.created_at).date()] += 1
        articles[amendment.paragraph.article_number] += 1
        discussed[amendment.paragraph_id] += 1

    from charte.core.formatting import format_date

    titles = {}
    for row in paragraphs.values():
        titles.setdefault(row.article_number, row.article_title)
    by_day = [(format_date(day), days[day]) for day in _every_day(days)]
    by_article = [
        (_("Article %(number)s") % {"number": number} + f" – {titles[number]}", articles[number])
        for number in sorted(titles)
    ]
    most = [
        (paragraphs[pk], count)
        for pk, count in discussed.most_common(10)
        if count and pk in paragraphs
    ]
    statuses = Counter(a.get_status_display() for a in amendments)
    workshops = by_workshop(source, comments, amendments, page)
    origins = Counter(row.origin for row in (*comments, *amendments))
    return Figures(
        contributions=len(comments) + len(amendments),
        comments=len(comments),
        amendments=len(amendments),
        positions=len(supports),
        participants=len(people),
        declared_participants=sum(row.workshop.participants or 0 for row in workshops),
        by_author_type=_bars(by_type, order="value"),
        by_territory=_bars(by_territory, order="value"),
        by_day=_bars(by_day),
        by_article=_bars(by_article),
        by_origin=_bars([(origin.label, origins[origin]) for origin in Origin]),
        most_discussed=most,
        amendments_answered=amendments,
        statuses=_bars(statuses, order="value"),
        by_workshop=workshops,
        evaluation=evaluate(
            source,
            Contributions(
                paragraphs={
                    pk: (row.article_number, row.article_title) for pk, row in paragraphs.items()
                },
                amendments=[
                    {
                        "pk": a.pk,
                        "author_id": a.author_id,
                        "workshop_id": a.workshop_id,
                        "workshop__kind": a.workshop.kind if a.workshop_id else None,
                        "paragraph_id": a.paragraph_id,
                        "status": a.status,
                        "created_at": a.created_at,
                        "answered_at": a.answered_at,
                    }
                    for a in amendments
                ],
                comments=[
                    (
                        c.user_id,
                        c.workshop_id,
                        c.workshop.kind if c.workshop_id else None,
                        c.content_type_id,
                        c.object_pk,
                    )
                    for c in comments
                ],
                supporters={support.user_id for support in supports},
                declared=sum(row.workshop.participants or 0 for row in workshops),
            ),
        ),
        questionnaire=questionnaire_results(source, with_texts=with_texts),
    )


# Kept figures are found by their fingerprint: an older set is never read, it only ages out.
KEPT_SECONDS = 30 * 24 * 3600


def fingerprint(source) -> tuple:
    """What the figures of the iteration ``source`` are computed from, summed up in a few small
    aggregate queries (no contribution is loaded): any contribution added, hidden, deleted or
    restored, any amendment answered or its answer changed, any position, workshop, listed
    territory or questionnaire response changes it.

    A fingerprint rather than an invalidation from the services: the figures read a dozen
    tables written by as many services (and by the admin, imports, moderation), and a
    fingerprint cannot miss one of them."""
    paragraph_ids = list(Paragraph.objects.filter(iteration=source).values_list("pk", flat=True))
    amendments = list(
        Amendment.objects.filter(iteration=source)
        .order_by("pk")
        .values_list(
            "pk",
            "status",
            "answered_at",
            "response",
            "workshop_id",
            "integrated_into_id",
            "integration_removed",
            "author__author_type",
            "author__author_type_confirmed_at",
            "author__territory",
            "author__listed_territory_id",
        )
    )
    comments = visible_comments(paragraph_ids, [row[0] for row in amendments]).aggregate(
        n=Count("pk"), top=Max("pk"), total=Sum("pk"), workshops=Sum("workshop_id")
    )
    supports = AmendmentSupport.objects.filter(amendment__iteration=source).aggregate(
        n=Count("pk"), total=Sum("pk")
    )
    return (
        source.pk,
        len(paragraph_ids),
        hashlib.blake2b(repr(amendments).encode(), digest_size=16).hexdigest(),
        tuple(comments.values()),
        tuple(supports.values()),
        Workshop.objects.aggregate(changed=Max("updated_at"), n=Count("pk"))["changed"],
        tuple(
            Territory.objects.filter(charter__translation_key=source.get_parent().translation_key)
            .aggregate(n=Count("pk"), top=Max("pk"), total=Sum("sort_order"))
            .values()
        ),
        QuestionnaireResponse.objects.filter(questionnaire__iteration=source).count(),
    )


def kept_figures(source, page, *, prints) -> Figures:
    """The public figures (no free-text answers) of ``source`` read on ``page``, computed once
    for ``prints`` (its :func:`fingerprint`) in the active language, and kept."""
    digest = hashlib.blake2b(repr(prints).encode(), digest_size=16).hexdigest()
    key = f"synthesis-figures:{get_language()}:{(page or source).pk}:{digest}"
    kept = cache.get(key)
    if kept is None:
        kept = figures(source, page)
        cache.set(key, kept, KEPT_SECONDS)
    return kept


def by_workshop(source, comments, amendments, page=None) -> list[WorkshopRow]:
    """The workshops and registers whose contributions are among ``comments`` and
    ``amendments`` (of the iteration ``source``, read on ``page``), in date order: what each
    contributed and how its amendments were answered, each linked to its page under the charter
    read. One query whatever their number (``comments`` read their ``workshop_id`` only: each
    gets its workshop here; the amendments have theirs already)."""
    ids = {row.workshop_id for row in (*comments, *amendments) if row.workshop_id}
    if not ids:
        return []
    workshops = Workshop.objects.in_bulk(ids)
    charter = (page or source).get_parent().specific
    rows = {}
    for pk, workshop in sorted(workshops.items(), key=lambda item: (item[1].starts_at, item[0])):
        workshop.charter = charter  # every one is of this charter: its address reads no more
        rows[pk] = WorkshopRow(workshop=workshop, url=workshop.get_url())
    for comment in comments:
        if comment.workshop_id:
            comment.workshop = workshops[comment.workshop_id]
            rows[comment.workshop_id].comments += 1
    statuses: dict[int, Counter] = {}
    for amendment in amendments:
        if amendment.workshop_id:
            rows[amendment.workshop_id].amendments += 1
            statuses.setdefault(amendment.workshop_id, Counter())[
                amendment.get_status_display()
            ] += 1
    for pk, counter in statuses.items():
        rows[pk].answers = _bars(counter, order="value")
    return list(rows.values())


def territory_counts(users, listed) -> Counter:
    """Participants by territory, counted by the charter's ``listed`` territories: a territory
    picked from the list and the same name typed as « other » (whatever its case, accents or
    spaces) count on one line, under the list's name; the other typed answers are grouped
    alike, under their most frequent spelling."""
    by_pk = {territory.pk: territory.name for territory in listed}
    by_key = {fold_name(territory.name): territory.name for territory in listed}
    # Another charter's list, or another language version of this one, names it too.
    names = dict(
        Territory.objects.filter(
            pk__in={u.listed_territory_id for u in users if u.listed_territory_id} - set(by_pk)
        ).values_list("pk", "name")
    )
    counts = Counter()
    spellings = {}
    for user in users:
        name = by_pk.get(user.listed_territory_id) or names.get(user.listed_territory_id)
        if name is None:
            name = (user.territory or "").strip()
        key = fold_name(name)
        if not key:
            counts[_("Not given")] += 1
        elif key in by_key:
            counts[by_key[key]] += 1
        else:
            spellings.setdefault(key, Counter())[name] += 1
    for typed in spellings.values():
        counts[typed.most_common(1)[0][0]] += typed.total()
    return counts


def _every_day(days: Counter) -> list:
    """Every day from the first contribution to the last, the quiet ones included."""
    import datetime

    if not days:
        return []
    first, last = min(days), max(days)
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


# -- Open data ----------------------------------------------------------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")

FIELDS = [
    "type",
    "id",
    "address",
    "article",
    "paragraph",
    "paragraph_key",
    "in_reply_to",
    "date",
    "language",
    "author_type",
    "origin",
    "workshop",
    "text",
    "amendment_kind",
    "rationale",
    "status",
    "answer",
    "agree",
    "mixed",
    "disagree",
]


def scrub(text: str) -> str:
    """Contact details a citizen may have typed are masked in the open data."""
    text = EMAIL.sub(_("[e-mail address removed]"), text or "")
    return PHONE.sub(_("[phone number removed]"), text)


def _origin_columns(contribution, author) -> dict:
    """Who it comes from, without personal data: the author's public type online; the
    workshop's or register's signature for what a facilitator entered (never the
    facilitator's type)."""
    if contribution.workshop_id:
        return {
            "author_type": "",
            "origin": contribution.origin,
            "workshop": contribution.workshop.signature(),
        }
    return {
        "author_type": author.public_author_type if author else "",
        "origin": Origin.ONLINE.value,
        "workshop": "",
    }


def open_data(page) -> list[dict]:
    """Every public contribution to the iteration ``page``, without personal data: no names,
    accounts or territories, contact details masked in the texts; each with its origin and,
    for what a workshop or a register said, its signature (``workshop``)."""
    source = page.source
    paragraphs = {row.pk: row for row in Paragraph.objects.filter(iteration=source)}
    amendments = list(
        with_tallies(Amendment.objects.filter(iteration=source))
        .select_related("author", "paragraph", "workshop")
        .order_by("number")
    )
    by_id = {a.pk: a for a in amendments}
    paragraph_type = ContentType.objects.get_for_model(Paragraph).pk
    rows = []
    for amendment in amendments:
        row = amendment.paragraph
        rows.append(
            {
                "type": "amendment",
                "id": amendment.number,
                "address": page.full_url
                + page.reverse_subpage("amendment", args=[amendment.number]),
                "article": row.article_number,
                "paragraph": row.number,
                "paragraph_key": row.key,
                "in_reply_to": "",
                "date": amendment.created_at.isoformat(),
                "language": amendment.language,
                **_origin_columns(amendment, amendment.author),
                "text": scrub(amendment.text),
                "amendment_kind": amendment.kind,
                "rationale": scrub(amendment.rationale),
                "status": amendment.status,
                "answer": amendment.response,
                "agree": amendment.agree,
                "mixed": amendment.mixed,
                "disagree": amendment.disagree,
            }
        )
    comments = (
        visible_comments(paragraphs, by_id)
        .select_related("user", "workshop")
        .order_by("submit_date", "pk")
    )
    for comment in comments:
        pk = int(comment.object_pk)
        if comment.content_type_id == paragraph_type:
            row = paragraphs[pk]
            address = page.full_url + page.reverse_subpage("paragraph", args=[row.key])
        else:
            amendment = by_id[pk]
            row = amendment.paragraph
            address = page.full_url + page.reverse_subpage("amendment", args=[amendment.number])
        rows.append(
            {
                "type": "comment",
                "id": comment.pk,
                "address": f"{address}#c{comment.pk}",
                "article": row.article_number,
                "paragraph": row.number,
                "paragraph_key": row.key,
                "in_reply_to": comment.parent_id if comment.parent_id != comment.pk else "",
                "date": comment.submit_date.isoformat(),
                "language": comment.language,
                **_origin_columns(comment, comment.user),
                "text": scrub(comment.comment),
                "amendment_kind": "",
                "rationale": "",
                "status": "",
                "answer": "",
                "agree": "",
                "mixed": "",
                "disagree": "",
            }
        )
    return rows


def as_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: neutralise_formula(row[name]) for name in FIELDS})
    # With a byte order mark, spreadsheets open the accents right.
    return buffer.getvalue().encode("utf-8-sig")
