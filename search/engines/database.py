"""The embedded engine: the database's own full-text search, nothing else to run.

SQLite: an FTS5 table (``unicode61 remove_diacritics 2``: « elu » finds « élu ») kept in step
with ``search_searchentry`` by triggers; words are matched as prefixes of a light French stem
(« concertations » → ``concertation*``). PostgreSQL: a weighted ``tsvector`` (title A, text B)
under the ``french_unaccent`` configuration (unaccent, then the French Snowball stemmer) with a
GIN index, queried with ``websearch_to_tsquery``, which accepts anything people type.
"""

from __future__ import annotations

import json
import re
import unicodedata
from contextlib import contextmanager
from functools import partial

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.html import escape

from charte.core.bounds import StatementTimeout, statement_budget

from ..documents import ENTRY_FIELDS, public_page_ids
from ..models import SearchEntry
from . import FACETS, MAX_TERMS, Hit, Query, Results, SearchTooSlow, bound_terms, timeout_ms

CONFIG = "french_unaccent"
START, STOP = "\x02", "\x03"  # markers of highlighted words, replaced after escaping
FTS = "search_searchentry_fts"
WORD = re.compile(r"\w+", re.UNICODE)
PHRASE = re.compile(r'"([^"]+)"')
HEADLINE_CHARS = 2000  # PostgreSQL highlights matches in this much of each body, no more
REBUILDING = "rebuilding"  # the target of a rebuild's writes: the table was emptied first
INTEGER_FACETS = {"charter_id", "iteration_id", "article"}
# Words too common to narrow a search (the PostgreSQL French configuration drops them itself).
_STOP = (
    "a à au aux avec ce ces dans de des du elle en et il ils la le les leur leurs ma mais me "
    "mes mon ne nos notre nous on ou où par pas pour qu que qui sa se ses son sur ta te tes "
    "toi ton tu un une vos votre vous the of and to in an is"
)
STOP_WORDS = frozenset(_STOP.split())


def month_of(date) -> str:
    """The month of the date facet, in the site's time zone: "2026-03"."""
    return timezone.localtime(date).strftime("%Y-%m")


def excerpt_html(text: str) -> str:
    return escape(text).replace(START, "<mark>").replace(STOP, "</mark>")


def cut_marks(excerpt: str, text: str) -> str:
    """An ellipsis where a passage chosen by PostgreSQL starts or ends inside the text."""
    plain = excerpt.replace(START, "").replace(STOP, "").strip()
    if not plain:
        return excerpt
    head = "" if text.lstrip().startswith(plain[:40]) else "… "
    tail = "" if text.rstrip().endswith(plain[-40:]) else " …"
    return head + excerpt.strip() + tail


def fold(word: str) -> str:
    """Lower case without accents, as FTS5's ``remove_diacritics`` compares words."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def highlight(text: str, stems, words: int = 32) -> str:
    """Safe HTML: the passage of ``text`` (about ``words`` words) around its first matching
    word, every word starting with one of the folded ``stems`` in ``<mark>``."""
    tokens = list(WORD.finditer(text))
    if not tokens:
        return escape(text[:280])
    marked = [i for i, token in enumerate(tokens) if fold(token.group()).startswith(tuple(stems))]
    first = max(0, (marked[0] if marked else 0) - words // 4)
    last = min(len(tokens), first + words) - 1
    begin = tokens[first].start() if first else 0
    end = tokens[last].end() if last < len(tokens) - 1 else len(text)
    out, position = [], begin
    for i in marked:
        if first <= i <= last:
            token = tokens[i]
            out += [escape(text[position : token.start()]), "<mark>"]
            out += [escape(token.group()), "</mark>"]
            position = token.end()
    out.append(escape(text[position:end]))
    return ("… " if begin else "") + "".join(out) + (" …" if end < len(text) else "")


@contextmanager
def time_bounded():
    """Every statement of a search under one budget (``SEARCH_STATEMENT_TIMEOUT_MS``), the
    site's own :func:`~charte.core.bounds.statement_budget` (a search writes nothing), past
    which the reader is asked to narrow it: :class:`SearchTooSlow`."""
    try:
        with statement_budget(timeout_ms()):
            yield
    except StatementTimeout as error:
        raise SearchTooSlow() from error


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
        if stem in STOP_WORDS or len(stem) < 2:
            continue
        if len(stem) > 3 and stem[-1] in "sx":
            stem = stem[:-1]
        parts.append(f'"{stem}"*')
    return " AND ".join(parts[:MAX_TERMS])


class DatabaseEngine:
    name = "database"

    # -- writing ---------------------------------------------------------------------------

    def start_rebuild(self) -> str:
        self.clear()
        return REBUILDING

    def finish_rebuild(self, target) -> None:
        """Refresh the planner's statistics (PostgreSQL) or merge the FTS5 segments (SQLite):
        without it, the first searches after a large rebuild take the slow path."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE search_searchentry")
            elif connection.vendor == "sqlite":
                cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")

    @contextmanager
    def rebuilding(self):
        """A rebuild: yields the function that takes each batch of entries. Readers keep the
        old entries until the new ones are all written (one transaction).

        On PostgreSQL, outside any transaction, the new entries go through a second connection
        in one ``COPY`` that stays open for the whole rebuild: the server computes each row's
        text vector and index entries while the next batch is being built here, instead of
        each side waiting for the other. Elsewhere, batches are written one after the other."""
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            with transaction.atomic():
                target = self.start_rebuild()
                yield partial(self.write, index=target)
                self.finish_rebuild(target)
            return
        writer = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            writer.set_autocommit(False)
            with writer.cursor() as cursor:
                cursor.execute(f"DELETE FROM {SearchEntry._meta.db_table}")
                with cursor.cursor.copy(self._copy_statement()) as copy:

                    def write(entries):
                        for entry in entries:
                            copy.write_row(self._row(entry))

                    yield write
                cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
            writer.commit()
        except BaseException:
            if writer.connection is not None:
                writer.rollback()
            raise
        finally:
            writer.close()

    @staticmethod
    def _row(entry) -> list:
        return [*entry.values(), month_of(entry.date)]

    @staticmethod
    def _copy_statement() -> str:
        columns = [*ENTRY_FIELDS, "month"]
        return f"COPY {SearchEntry._meta.db_table} ({', '.join(columns)}) FROM STDIN"

    @transaction.atomic
    def write(self, entries, index=None) -> None:
        """Replace the entries of these keys (a rebuild only adds: it emptied the table). Rows
        go in through ``COPY`` on PostgreSQL and one prepared ``INSERT`` on SQLite: the model
        layer would cost more than the full-text work the triggers do for each row."""
        entries = list(entries)
        if not entries:
            return
        if index != REBUILDING:
            SearchEntry.objects.filter(key__in=[e.key for e in entries]).delete()
        table = SearchEntry._meta.db_table
        columns = [*ENTRY_FIELDS, "month"]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self._copy_statement()) as copy:
                    for entry in entries:
                        copy.write_row(self._row(entry))
                return
            adapt = connection.ops.adapt_datetimefield_value
            at = ENTRY_FIELDS.index("date")
            rows = []
            for entry in entries:
                row = list(entry.values())
                row[at] = adapt(entry.date)
                rows.append([*row, month_of(entry.date)])
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('%s' for _ in columns)})",
                rows,
            )

    def delete(self, keys) -> None:
        SearchEntry.objects.filter(key__in=list(keys)).delete()

    def clear(self) -> None:
        SearchEntry.objects.all().delete()

    def count(self) -> int:
        return SearchEntry.objects.count()

    def counts_by_kind(self) -> dict:
        rows = SearchEntry.objects.order_by().values("kind").annotate(n=Count("pk"))
        return {row["kind"]: row["n"] for row in rows}

    def stored(self, size: int = 2000):
        """Every entry held, as ``{field: value}`` mappings, streamed in key order."""
        rows = SearchEntry.objects.order_by("key").values_list(*ENTRY_FIELDS)
        for row in rows.iterator(chunk_size=size):
            yield dict(zip(ENTRY_FIELDS, row, strict=True))

    # -- reading ---------------------------------------------------------------------------

    def _visible(self, queryset):
        """Only entries whose page, and every ancestor of it, anyone may read. The pages come
        in as one parameter (an array on PostgreSQL, a JSON array on SQLite) however many
        there are, and the engine checks each match against them: no query per entry."""
        visible = sorted(public_page_ids())
        if not visible:
            return queryset.none()
        column = f"{SearchEntry._meta.db_table}.page_id"
        if connection.vendor == "postgresql":
            return queryset.extra(where=[f"{column} = ANY(%s::integer[])"], params=[visible])
        return queryset.extra(
            where=[f"{column} IN (SELECT value FROM json_each(%s))"], params=[json.dumps(visible)]
        )

    def _matching(self, text, rank=False):
        queryset = SearchEntry.objects.all()
        if not text:
            return queryset, None
        text = bound_terms(text)[0]  # whoever asks, at most MAX_TERMS words reach the engine
        if not text:
            return queryset.none(), None
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchRank

            query = SearchQuery(text, config=CONFIG, search_type="websearch")
            queryset = queryset.filter(search_vector=query)
            if rank:
                queryset = queryset.annotate(
                    rank=SearchRank(F("search_vector"), query, cover_density=True)
                )
            return queryset, query
        expression = fts5_expression(text)
        if not expression:
            return queryset.none(), None
        if rank:  # joined with the FTS5 table, so that bm25 (best first) can rank every match
            return (
                queryset.extra(
                    tables=[FTS],
                    where=[f"{FTS}.rowid = search_searchentry.id", f"{FTS} MATCH %s"],
                    params=[expression],
                    select={"rank": f"-bm25({FTS}, 4.0, 1.0)"},  # titles count four times
                ),
                expression,
            )
        return (
            queryset.extra(
                where=[f"search_searchentry.id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)"],
                params=[expression],
            ),
            expression,
        )

    def search(self, query: Query) -> Results:
        with time_bounded():
            return self._search(query)

    def _search(self, query: Query) -> Results:
        """Everything a results page shows, counted over one selection: the matches of the
        text (visible pages, date range) are read once, then the total, the page, every facet
        and the months are computed from them in a single statement. A facet whose own filter
        is set counts without it (choosing a value keeps the others in view)."""
        by_relevance = bool(query.text) and query.sort != "date"
        base, matcher = self._matching(query.text, rank=by_relevance)
        base = self._visible(base)
        if query.date_from:
            base = base.filter(date__date__gte=query.date_from)
        if query.date_to:
            base = base.filter(date__date__lte=query.date_to)
        if base.query.is_empty():
            return Results(0, [], {}, query.page, query.per_page)
        columns = ["id", "date", *FACETS, "month", *(["rank"] if by_relevance else [])]
        matches = base.order_by().values(*columns)
        sql, selection_params = matches.query.sql_with_params()
        params = list(selection_params)
        chosen = {name: value for name, value in query.filters.items() if value not in (None, "")}

        def where(skip=None):
            conditions, values = ["1 = 1"], []
            for name, value in chosen.items():
                if name != skip and name in FACETS:
                    conditions.append(f"{name} = %s")
                    values.append(int(value) if name in INTEGER_FACETS else value)
            return " AND ".join(conditions), values

        condition, values = where()
        if connection.vendor == "postgresql":
            parts, params = self._grouping_sets(where, params)
        else:
            parts = [f"SELECT 'total', NULL, COUNT(*) FROM matches WHERE {condition}"]
            params += values
            for name in (*FACETS, "month"):
                own, own_values = where(skip=name)
                parts.append(
                    f"SELECT '{name}', CAST({name} AS TEXT), COUNT(*) FROM matches "
                    f"WHERE {name} IS NOT NULL AND {own} GROUP BY {name}"
                )
                params += own_values
        start = (query.page - 1) * query.per_page
        order = "rank DESC, date DESC, id" if by_relevance else "date DESC, id"
        parts.append(
            f"SELECT 'page', CAST(id AS TEXT), ROW_NUMBER() OVER (ORDER BY {order}) "
            f"FROM (SELECT * FROM matches WHERE {condition} ORDER BY {order} "
            f"LIMIT %s OFFSET %s) AS page"
        )
        params += [*values, query.per_page, start]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH matches AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts), params
            )
            rows = cursor.fetchall()

        total, facets, ranked = 0, {name: [] for name in (*FACETS, "month")}, []
        for section, value, n in rows:
            if section == "total":
                total = n
            elif section == "page":
                ranked.append((n, int(value)))
            elif value not in (None, "") and n:
                facets[section].append((int(value) if section in INTEGER_FACETS else value, n))
        for name, counted in facets.items():
            counted.sort(key=lambda item: (item[0],) if name == "month" else (-item[1], item[0]))
        facets["month"].reverse()  # newest month first
        ids = [pk for _n, pk in sorted(ranked)]
        entries = SearchEntry.objects.in_bulk(ids)
        page = [entries[pk] for pk in ids if pk in entries]
        excerpts = self._excerpts(page, query.text, matcher)
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

    @staticmethod
    def _grouping_sets(where, params):
        """PostgreSQL: every facet and the months counted in one pass over the matches
        (``GROUPING SETS``); a facet whose own filter is set counts without it."""
        sections, counts = [], []
        for name in (*FACETS, "month"):
            own, own_values = where(skip=name)
            sections.append(f"WHEN GROUPING({name}) = 0 THEN '{name}'")
            counts.append(f"WHEN GROUPING({name}) = 0 THEN COUNT(*) FILTER (WHERE {own})")
            params += own_values
        condition, values = where()
        params += values
        names = (*FACETS, "month")
        part = (
            f"SELECT CASE {' '.join(sections)} ELSE 'total' END, "
            f"COALESCE({', '.join(f'CAST({name} AS TEXT)' for name in names)}), "
            f"CASE {' '.join(counts)} ELSE COUNT(*) FILTER (WHERE {condition}) END "
            f"FROM matches GROUP BY GROUPING SETS ({', '.join(f'({n})' for n in names)}, ())"
        )
        return [part], params

    def _excerpts(self, page, text, matcher) -> dict:
        if not page or not text or matcher is None:
            return {}
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchHeadline
            from django.db.models.functions import Substr

            rows = (
                SearchEntry.objects.filter(pk__in=[entry.pk for entry in page])
                .annotate(
                    excerpt=SearchHeadline(
                        Substr("body", 1, HEADLINE_CHARS),
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
            bodies = {entry.pk: entry.body for entry in page}
            return {pk: excerpt_html(cut_marks(excerpt, bodies[pk])) for pk, excerpt in rows}
        # SQLite: marked here rather than by FTS5's snippet(), which matches the whole query
        # again for every row asked for (tens of milliseconds with prefixes).
        stems = [
            fold(term)
            for term in WORD.findall(matcher)
            if term != "AND" and term.lower() not in STOP_WORDS
        ]
        return {entry.pk: highlight(entry.body, stems) for entry in page}
