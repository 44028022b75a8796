"""The embedded engine: the database's own full-text search, nothing else to run.

Both index the normalised words of each entry (:mod:`search.french`: « élus », « l’élu »,
« Élue » → ``elu``; « pétition » never ``petit``), computed here on the way in, and a query
goes through the same normalisation, so that both databases match alike. SQLite: an FTS5 table
over those words, kept in step with ``search_searchentry`` by triggers, ranked by bm25. PostgreSQL:
a weighted ``tsvector`` (title A, text B) built from them under the ``simple`` configuration,
with a GIN index. A query that finds nothing may get a « Did you mean … ? » from the vocabulary
(:class:`~search.models.SearchTerm`): trigram similarity on PostgreSQL, ``difflib`` on SQLite.
"""

from __future__ import annotations

import difflib
import re
from contextlib import contextmanager
from functools import partial

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Case, Count, F, FloatField, Q, Value, When
from django.utils import timezone
from django.utils.html import escape

from charte.core.bounds import StatementTimeout, statement_budget

from .. import french
from ..documents import ENTRY_FIELDS, public_page_ids
from ..models import SearchEntry, SearchTerm
from . import FACETS, MAX_TERMS, Hit, Query, Results, SearchTooSlow, bound_terms, timeout_ms

CONFIG = "simple"  # the words are normalised before they reach PostgreSQL
FTS = "search_searchentry_fts"
WORD = re.compile(r"\w+", re.UNICODE)
PHRASE = re.compile(r'"([^"]+)"')
TERM_COLUMNS = ["title_terms", "body_terms"]
VOCABULARY_MIN = 4  # shorter words get no « Did you mean … ? »
# Added to the rank of an entry whose title holds every word typed (« amendement 3 » finds
# « Amendement n° 3 » before the amendments that merely mention a 3): above any text rank.
TITLE_BONUS = 100.0
LANGUAGE_BOOST = 1.5  # the rank of an entry in the reader's language is multiplied by this
REBUILDING = "rebuilding"  # the target of a rebuild's writes: the table was emptied first
INTEGER_FACETS = {"charter_id", "iteration_id", "article"}
STOP_WORDS = french.STOP_WORDS
fold = french.fold


def month_of(date) -> str:
    """The month of the date facet, in the site's time zone: "2026-03"."""
    return timezone.localtime(date).strftime("%Y-%m")


def highlight(text: str, terms, words: int = 32, language: str = "fr") -> str:
    """Safe HTML: the passage of ``text`` (about ``words`` words) around its first matching
    word, every word whose index term is one of ``terms`` in ``<mark>``."""
    tokens = list(WORD.finditer(text))
    if not tokens:
        return escape(text[:280])
    terms = set(terms)
    marked = [
        i for i, token in enumerate(tokens) if french.term(token.group().lower(), language) in terms
    ]
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


def query_parts(text: str) -> list[list[list[str]]]:
    """What was typed, normalised as the index is: a list of parts that must all match, each a
    phrase (a list of words in order; one word for a plain word), each word its variants
    (French and English readings). Operators and punctuation are plain text."""
    parts = []
    for phrase in PHRASE.findall(text):
        words = [french.query_variants(word) for word in french.words(phrase)]
        words = [variants for variants in words if variants]
        if words:
            parts.append(words)
    for word in french.words(PHRASE.sub(" ", text)):
        variants = french.query_variants(word)
        if variants and [variants] not in parts:
            parts.append([variants])
    return parts[:MAX_TERMS]


def query_terms(parts) -> set[str]:
    return {term for part in parts for variants in part for term in variants}


def fts5_expression(text: str, title: bool = False) -> str:
    """A safe FTS5 query for what was typed (see :func:`query_parts`); with ``title``, only
    entries whose title holds it all."""
    out = []
    for part in query_parts(text):
        if len(part) == 1:
            out.append("(" + " OR ".join(f'"{term}"' for term in part[0]) + ")")
        else:
            out.append('"' + " ".join(variants[0] for variants in part) + '"')
    expression = " AND ".join(out)
    return f"title_terms : ({expression})" if title and expression else expression


def tsquery_expression(text: str, title: bool = False) -> str:
    """A safe PostgreSQL ``tsquery`` for what was typed (see :func:`query_parts`); with
    ``title``, only entries whose title (weight A) holds it all."""
    weight = ":A" if title else ""
    out = []
    for part in query_parts(text):
        if len(part) == 1:
            out.append("(" + " | ".join(f"'{term}'{weight}" for term in part[0]) + ")")
        else:
            out.append("(" + " <-> ".join(f"'{variants[0]}'{weight}" for variants in part) + ")")
    return " & ".join(out)


def analysed(entry, vocabulary=None) -> list:
    """The entry's index terms (title, body), noting each term's written word in
    ``vocabulary``."""
    columns = []
    for text in (entry.title, entry.body):
        found = []
        for word in french.words(text or ""):
            term = french.term(word, entry.language)
            if term:
                found.append(term)
                if (
                    vocabulary is not None
                    and len(term) >= VOCABULARY_MIN
                    and not term.isdigit()
                    and len(word) <= 100
                    and term not in vocabulary
                ):
                    vocabulary[term] = word
        columns.append(" ".join(found))
    return columns


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
                cursor.execute(f"DELETE FROM {SearchTerm._meta.db_table}")
                vocabulary: dict = {}
                with cursor.cursor.copy(self._copy_statement()) as copy:

                    def write(entries):
                        for entry in entries:
                            copy.write_row(self._row(entry, vocabulary))

                    yield write
                with cursor.cursor.copy(
                    f"COPY {SearchTerm._meta.db_table} (term, word) FROM STDIN"
                ) as copy:
                    for row in vocabulary.items():
                        copy.write_row(row)
                cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
            writer.commit()
        except BaseException:
            if writer.connection is not None:
                writer.rollback()
            raise
        finally:
            writer.close()

    @staticmethod
    def _row(entry, vocabulary=None) -> list:
        return [*entry.values(), month_of(entry.date), *analysed(entry, vocabulary)]

    @staticmethod
    def _copy_statement() -> str:
        columns = [*ENTRY_FIELDS, "month", *TERM_COLUMNS]
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
        columns = [*ENTRY_FIELDS, "month", *TERM_COLUMNS]
        vocabulary: dict = {}
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self._copy_statement()) as copy:
                    for entry in entries:
                        copy.write_row(self._row(entry, vocabulary))
            else:
                adapt = connection.ops.adapt_datetimefield_value
                at = ENTRY_FIELDS.index("date")
                rows = []
                for entry in entries:
                    row = list(entry.values())
                    row[at] = adapt(entry.date)
                    rows.append([*row, month_of(entry.date), *analysed(entry, vocabulary)])
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('%s' for _ in columns)})",
                    rows,
                )
        if vocabulary and index != REBUILDING:
            known = set(
                SearchTerm.objects.filter(term__in=list(vocabulary)).values_list("term", flat=True)
            )
            vocabulary = {term: word for term, word in vocabulary.items() if term not in known}
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=term, word=word) for term, word in vocabulary.items()],
            ignore_conflicts=True,
            batch_size=500,
        )

    def delete(self, keys) -> None:
        SearchEntry.objects.filter(key__in=list(keys)).delete()

    def clear(self) -> None:
        SearchEntry.objects.all().delete()
        SearchTerm.objects.all().delete()

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

    def _matching(self, text, rank=False, language=""):
        queryset = SearchEntry.objects.all()
        if not text:
            return queryset, None
        text = bound_terms(text)[0]  # whoever asks, at most MAX_TERMS words reach the engine
        if not text:
            return queryset.none(), None
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchRank

            expression = tsquery_expression(text)
            if not expression:
                return queryset.none(), None
            query = SearchQuery(expression, config=CONFIG, search_type="raw")
            queryset = queryset.filter(search_vector=query)
            if rank:
                in_title = SearchQuery(
                    tsquery_expression(text, title=True), config=CONFIG, search_type="raw"
                )
                queryset = queryset.annotate(
                    rank=(
                        SearchRank(F("search_vector"), query, cover_density=True)
                        + Case(
                            When(search_vector=in_title, then=Value(TITLE_BONUS)),
                            default=Value(0.0),
                            output_field=FloatField(),
                        )
                    )
                    * Case(
                        When(language=language, then=Value(LANGUAGE_BOOST)),
                        default=Value(1.0),
                        output_field=FloatField(),
                    )
                )
            return queryset, text
        expression = fts5_expression(text)
        if not expression:
            return queryset.none(), None
        if rank:  # joined with the FTS5 table, so that bm25 (best first) can rank every match
            return (
                queryset.extra(
                    tables=[FTS],
                    where=[f"{FTS}.rowid = search_searchentry.id", f"{FTS} MATCH %s"],
                    params=[expression],
                    select={  # titles count four times, and all the words in a title more
                        "rank": f"(-bm25({FTS}, 4.0, 1.0) + CASE WHEN {FTS}.rowid IN "
                        f"(SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s) "
                        f"THEN {TITLE_BONUS} ELSE 0 END) * CASE WHEN "
                        f"search_searchentry.language = %s THEN {LANGUAGE_BOOST} ELSE 1 END"
                    },
                    select_params=[fts5_expression(text, title=True), language],
                ),
                text,
            )
        return (
            queryset.extra(
                where=[f"search_searchentry.id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)"],
                params=[expression],
            ),
            text,
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
        base, matcher = self._matching(query.text, rank=by_relevance, language=query.language)
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
        """Each hit's passage around its first matching word, marked here on both databases
        (the words indexed are normalised: the database cannot mark the words as written)."""
        if not page or not text or matcher is None:
            return {}
        terms = query_terms(query_parts(matcher))
        return {entry.pk: highlight(entry.body, terms, language=entry.language) for entry in page}

    # -- « Did you mean … ? » -----------------------------------------------------------------

    def suggest(self, text: str) -> str | None:
        """For a query that found nothing: the same query with each word the index does not
        know replaced by the nearest word it knows, if that finds something visible."""
        typed = french.words(bound_terms(text or "")[0])
        if not typed:
            return None
        changed, out = False, []
        for word in typed:
            variants = french.query_variants(word)
            if not variants or variants[0].isdigit():
                out.append(word)
                continue
            if SearchTerm.objects.filter(term__in=variants).exists():
                out.append(word)
                continue
            near = self._nearest(variants[0])
            if near is None:
                out.append(word)
                continue
            out.append(near)
            changed = True
        if not changed:
            return None
        suggestion = " ".join(out)
        with time_bounded():
            found = self._visible(self._matching(suggestion)[0]).exists()
        return suggestion if found else None

    @staticmethod
    def _nearest(term: str) -> str | None:
        """The written word of the known term nearest to ``term`` (None if none is near)."""
        if len(term) < VOCABULARY_MIN:
            return None
        if connection.vendor == "postgresql":
            with time_bounded(), connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT term, word FROM {SearchTerm._meta.db_table} WHERE term %% %s "
                    "ORDER BY similarity(term, %s) DESC, term LIMIT 20",
                    [term, term],
                )
                candidates = dict(cursor.fetchall())
        else:
            candidates = dict(
                SearchTerm.objects.filter(
                    term__startswith=term[0], term__regex=rf"^.{{{len(term) - 2},{len(term) + 2}}}$"
                ).values_list("term", "word")[:20000]
            )
        # The trigram index finds the near words fast; the closest is chosen the same way on
        # both databases (trigrams alone prefer « petit » to « pétition » for « pétiton »).
        best = difflib.get_close_matches(term, list(candidates), n=1, cutoff=0.75)
        return candidates[best[0]] if best else None
