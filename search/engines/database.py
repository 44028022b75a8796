"""The embedded engine: the database's own full-text search, nothing else to run.

SQLite: an FTS5 table (``unicode61 remove_diacritics 2``: « elu » finds « élu ») kept in step
with ``search_searchentry`` by triggers; words are matched as prefixes of a light French stem
(« concertations » → ``concertation*``). PostgreSQL: a weighted ``tsvector`` (title A, text B)
under the ``french_unaccent`` configuration (unaccent, then the French Snowball stemmer) with a
GIN index, queried with ``websearch_to_tsquery``, which accepts anything people type.
"""

from __future__ import annotations

import re

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils.html import escape

from ..documents import public_page_ids
from ..models import SearchEntry
from . import FACETS, Hit, Query, Results

CONFIG = "french_unaccent"
START, STOP = "\x02", "\x03"  # markers of highlighted words, replaced after escaping
FTS = "search_searchentry_fts"
WORD = re.compile(r"\w+", re.UNICODE)
PHRASE = re.compile(r'"([^"]+)"')
MAX_TERMS = 24
INTEGER_FACETS = {"charter_id", "iteration_id", "article"}
# Words too common to narrow a search (the PostgreSQL French configuration drops them itself).
_STOP = (
    "a à au aux avec ce ces dans de des du elle en et il ils la le les leur leurs ma mais me "
    "mes mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sur ta te tes "
    "toi ton tu un une vos votre vous the of and to in an is"
)
STOP_WORDS = frozenset(_STOP.split())


def excerpt_html(text: str) -> str:
    return escape(text).replace(START, "<mark>").replace(STOP, "</mark>")


def fts5_expression(text: str) -> str:
    """A safe FTS5 query for what was typed: quoted phrases stay phrases, other words must all
    appear (as prefixes of their light stem); operators and punctuation are plain text."""
    parts = []
    for phrase in PHRASE.findall(text):
        words = WORD.findall(phrase)
        if words:
            parts.append('"' + " ".join(words) + '"')
    rest = PHRASE.sub(" ", text)
    for word in WORD.findall(rest):
        stem = word.lower()
        if stem in STOP_WORDS:
            continue
        if len(stem) > 4 and stem[-1] in "sx":
            stem = stem[:-1]
        parts.append(f'"{stem}"*')
    return " AND ".join(parts[:MAX_TERMS])


class DatabaseEngine:
    name = "database"

    # -- writing ---------------------------------------------------------------------------

    def start_rebuild(self):
        self.clear()

    def finish_rebuild(self, target) -> None:
        """Refresh the planner's statistics (PostgreSQL) or merge the FTS5 segments (SQLite):
        without it, the first searches after a large rebuild take the slow path."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE search_searchentry")
            elif connection.vendor == "sqlite":
                cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")

    @transaction.atomic
    def write(self, entries, index=None) -> None:
        entries = list(entries)
        if not entries:
            return
        SearchEntry.objects.filter(key__in=[e.key for e in entries]).delete()
        SearchEntry.objects.bulk_create([SearchEntry(**e.as_dict()) for e in entries])

    def delete(self, keys) -> None:
        SearchEntry.objects.filter(key__in=list(keys)).delete()

    def clear(self) -> None:
        SearchEntry.objects.all().delete()

    def count(self) -> int:
        return SearchEntry.objects.count()

    def counts_by_kind(self) -> dict:
        rows = SearchEntry.objects.order_by().values("kind").annotate(n=Count("pk"))
        return {row["kind"]: row["n"] for row in rows}

    # -- reading ---------------------------------------------------------------------------

    def _visible(self, queryset):
        visible = public_page_ids()
        return queryset.filter(charter_id__in=visible).filter(
            Q(iteration_id__isnull=True) | Q(iteration_id__in=visible)
        )

    def _matching(self, text):
        queryset = SearchEntry.objects.all()
        if not text:
            return queryset, None
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchRank

            query = SearchQuery(text, config=CONFIG, search_type="websearch")
            return (
                queryset.filter(search_vector=query).annotate(
                    rank=SearchRank(F("search_vector"), query, cover_density=True)
                ),
                query,
            )
        expression = fts5_expression(text)
        if not expression:
            return queryset.none(), None
        return (
            queryset.extra(
                where=[f"search_searchentry.id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)"],
                params=[expression],
            ),
            expression,
        )

    def search(self, query: Query) -> Results:
        base, matcher = self._matching(query.text)
        base = self._visible(base)
        if query.date_from:
            base = base.filter(date__date__gte=query.date_from)
        if query.date_to:
            base = base.filter(date__date__lte=query.date_to)

        def filtered(queryset, skip=None):
            for name, value in query.filters.items():
                if name != skip and value not in (None, ""):
                    queryset = queryset.filter(**{name: value})
            return queryset

        results = filtered(base)
        total = results.count()
        start = (query.page - 1) * query.per_page
        if query.text and query.sort != "date" and connection.vendor == "postgresql":
            page = list(results.order_by("-rank", "-date")[start : start + query.per_page])
        elif query.text and query.sort != "date" and matcher:
            page = self._ranked_page(results, matcher, start, query.per_page)
        else:
            page = list(results.order_by("-date", "pk")[start : start + query.per_page])
        excerpts = self._excerpts(page, query.text, matcher)
        # Facets whose own filter is not set all count over the same selection: one pass over
        # it, materialised once; each facet with a filter of its own counts without it.
        shared = [name for name in FACETS if query.filters.get(name) in (None, "")]
        facets = self._facet_counts(results, shared)
        facets["month"] = self._months(results)
        for name in FACETS:
            if name not in shared:
                facets.update(self._facet_counts(filtered(base, skip=name), [name]))
        hits = [
            Hit(
                key=entry.key,
                kind=entry.kind,
                title=entry.title,
                excerpt=excerpts.get(entry.pk) or escape(entry.body[:280]),
                url=entry.url,
                date=entry.date,
                language=entry.language,
                charter_title=entry.charter_title,
                iteration_title=entry.iteration_title,
                article=entry.article,
                amendment_status=entry.amendment_status,
                author_type=entry.author_type,
            )
            for entry in page
        ]
        return Results(total, hits, facets, query.page, query.per_page)

    def _facet_counts(self, queryset, names) -> dict:
        """Counts per value of each facet in ``names`` over ``queryset``, in one query."""
        if not names:
            return {}
        sql, params = queryset.order_by().values("id", *names).query.sql_with_params()
        parts = [
            f"SELECT '{name}' AS facet, CAST({name} AS TEXT) AS value, COUNT(*) AS n "
            f"FROM matches WHERE {name} IS NOT NULL GROUP BY {name}"
            for name in names
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH matches AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts), params
            )
            rows = cursor.fetchall()
        counts = {name: [] for name in names}
        for name, value, n in rows:
            if value in (None, ""):
                continue
            counts[name].append((int(value) if name in INTEGER_FACETS else value, n))
        for values in counts.values():
            values.sort(key=lambda item: (-item[1], item[0]))
        return counts

    def _months(self, queryset) -> list:
        """Entries per month (Europe/Paris), newest first: the date facet."""
        from django.db.models.functions import TruncMonth

        rows = (
            queryset.order_by()
            .annotate(month=TruncMonth("date"))
            .values("month")
            .annotate(n=Count("pk"))
            .order_by("-month")
        )
        return [(row["month"].strftime("%Y-%m"), row["n"]) for row in rows if row["month"]]

    def _ranked_page(self, results, expression, start, size):
        """SQLite: one page of matches in bm25 order (titles count four times as much), the
        FTS5 table joined once rather than ranked row by row."""
        sql, params = results.order_by().values("id").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT matches.id FROM ({sql}) AS matches JOIN {FTS} ON {FTS}.rowid = matches.id "
                f"WHERE {FTS} MATCH %s ORDER BY bm25({FTS}, 4.0, 1.0) LIMIT %s OFFSET %s",
                [*params, expression, size, start],
            )
            ids = [row[0] for row in cursor.fetchall()]
        entries = SearchEntry.objects.in_bulk(ids)
        return [entries[pk] for pk in ids if pk in entries]

    def _excerpts(self, page, text, matcher) -> dict:
        if not page or not text or matcher is None:
            return {}
        ids = [entry.pk for entry in page]
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchHeadline

            rows = (
                SearchEntry.objects.filter(pk__in=ids)
                .annotate(
                    excerpt=SearchHeadline(
                        "body",
                        matcher,
                        config=CONFIG,
                        start_sel=START,
                        stop_sel=STOP,
                        max_words=40,
                        min_words=15,
                        max_fragments=2,
                        fragment_delimiter=" … ",
                    )
                )
                .values_list("pk", "excerpt")
            )
            return {pk: excerpt_html(excerpt) for pk, excerpt in rows}
        placeholders = ",".join("%s" for _ in ids)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, snippet({FTS}, 1, %s, %s, ' … ', 32) FROM {FTS} "
                f"WHERE {FTS} MATCH %s AND rowid IN ({placeholders})",
                [START, STOP, matcher, *ids],
            )
            return {pk: excerpt_html(snippet) for pk, snippet in cursor.fetchall()}
