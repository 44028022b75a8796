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
import json
import re
import time
from contextlib import contextmanager
from functools import partial

from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.db.models import Case, Count, F, FloatField, Value, When
from django.utils import timezone
from django.utils.html import escape

from charte.core.bounds import StatementTimeout, statement_budget

from .. import french
from ..documents import ENTRY_FIELDS, public_page_ids
from ..models import SearchEntry, SearchTerm
from . import (
    FACETS,
    MAX_TERMS,
    Hit,
    Query,
    Results,
    SearchTooSlow,
    bound_terms,
    count_limit,
    timeout_ms,
)

CONFIG = "simple"  # the words are normalised before they reach PostgreSQL
FTS = "search_searchentry_fts"
WORD = re.compile(r"\w+", re.UNICODE)
PHRASE = re.compile(r'"([^"]+)"')
TABLE = SearchEntry._meta.db_table
ASIDE = f"{TABLE}_rebuild"  # a rebuild's new table, until it takes the old one's place
FTS_ASIDE = f"{FTS}_rebuild"
SUFFIX = "_rb"
SWAP_LOCK_TIMEOUT = "2s"
SWAP_ATTEMPTS = 10
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER search_entry_ai AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, title_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms); END",
    f"CREATE TRIGGER search_entry_ad AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); END",
    f"CREATE TRIGGER search_entry_au AFTER UPDATE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); "
    f"INSERT INTO {FTS}(rowid, title_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms); END",
]
TERM_COLUMNS = ["title_terms", "body_terms"]
VOCABULARY_MIN = 4  # shorter words get no « Did you mean … ? »
# Added to the rank of an entry whose title holds every word typed (« amendement 3 » finds
# « Amendement n° 3 » before the amendments that merely mention a 3): above any text rank.
TITLE_BONUS = 100.0
LANGUAGE_BOOST = 1.5  # the rank of an entry in the reader's language is multiplied by this
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


_INDEX = re.compile(r"^CREATE (UNIQUE )?INDEX (\S+) ON (\S+) (.*)$")


def _index_renames(cursor) -> list[tuple[str, str]]:
    """PostgreSQL: (new, old) names of the indexes of the two tables, paired by definition."""
    cursor.execute(
        "SELECT tablename, indexname, indexdef FROM pg_indexes "
        "WHERE tablename IN (%s, %s) ORDER BY indexname",
        [TABLE, ASIDE],
    )
    old, new = {}, {}
    for table, name, definition in cursor.fetchall():
        match = _INDEX.match(definition)
        if match:
            shape = (match.group(1), match.group(4))
            (old if table == TABLE else new).setdefault(shape, []).append(name)
    return [
        (new_name, old_name)
        for shape, names in new.items()
        for new_name, old_name in zip(names, old.get(shape, []), strict=False)
        if new_name != old_name
    ]


def _sqlite_wal() -> bool:
    """SQLite on a file in WAL mode (readers and one writer at a time, in parallel)."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        return cursor.fetchone()[0].lower() == "wal"


@contextmanager
def _transaction(db):
    """A transaction on ``db``: the default connection or one of a rebuild's own."""
    if db is connection:
        with transaction.atomic():
            yield
        return
    db.set_autocommit(False)
    try:
        yield
        db.commit()
    except BaseException:
        if db.connection is not None:
            db.rollback()
        raise
    finally:
        if db.connection is not None:
            db.set_autocommit(True)


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

    def finish_rebuild(self, target=None) -> None:
        """Refresh the planner's statistics (PostgreSQL) or merge the FTS5 segments (SQLite)
        after many writes: without it, the first searches take the slow path. (A rebuild does
        it on its new table before the swap.)"""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {TABLE}")
            elif connection.vendor == "sqlite":
                cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")

    @contextmanager
    def rebuilding(self):
        """A rebuild: yields the function that takes each batch of entries. The new entries go
        into a table of their own (same columns, full-text side and indexes), swapped in for
        the old one in one short transaction at the end; readers and writers keep using the old
        table until then, and nothing holds a lock on it meanwhile (contributions are posted
        and indexed as usual; :mod:`search.rebuild` indexes them again after the swap). A
        rebuild that fails drops the new table and leaves the old one as it was.

        The new table is written through a second connection (unless the rebuild runs inside
        a transaction, or on an in-memory database). On PostgreSQL it takes one ``COPY`` that
        stays open for the whole rebuild: the server computes each row's text vector and index
        entries while the next batch is being built here, instead of each side waiting for the
        other (the table is nobody else's: this long transaction blocks no one). On SQLite each
        batch is written in a short transaction of its own; in WAL mode (the site's settings)
        through a second connection, because the rows being read hold a snapshot of the
        database, too old to write from once someone else has written (« database is
        locked »). Without WAL, the rows being read keep others from writing anyway."""
        postgresql = connection.vendor == "postgresql"
        own = not connection.in_atomic_block and (postgresql or _sqlite_wal())
        writer = connections.create_connection(DEFAULT_DB_ALIAS) if own else connection
        vocabulary: dict = {}  # the words met, added to the index's vocabulary after the swap
        try:
            with _transaction(writer):
                self._create_aside(writer)
            try:
                if postgresql and own:
                    yield from self._stream_aside(writer, vocabulary)
                else:
                    yield partial(self._write_aside, writer, vocabulary)
                    if postgresql:
                        with writer.cursor() as cursor:
                            cursor.execute(f"ANALYZE {ASIDE}")
                if not postgresql:
                    self._index_aside_sqlite(writer)
                self._swap_when_free(writer)
                self._add_vocabulary(vocabulary)
            except BaseException:
                if writer.in_atomic_block:
                    raise  # the enclosing transaction is rolled back, the new table with it
                with _transaction(writer):
                    self._drop_aside(writer)
                raise
        finally:
            if own:
                writer.close()

    @staticmethod
    def _create_aside(writer) -> None:
        with writer.cursor() as cursor:
            if writer.vendor == "postgresql":
                cursor.execute(f"DROP TABLE IF EXISTS {ASIDE}")
                cursor.execute(f"CREATE TABLE {ASIDE} (LIKE {TABLE} INCLUDING ALL)")
                cursor.execute(
                    f"CREATE TRIGGER search_entry_vector BEFORE INSERT OR UPDATE ON {ASIDE} "
                    "FOR EACH ROW EXECUTE FUNCTION search_entry_vector()"
                )
                # Ids go on from the old table's: an id read before the swap never names
                # another entry after it.
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{ASIDE}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {TABLE}), false)"
                )
                return
            cursor.execute(f"DROP TABLE IF EXISTS {ASIDE}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_ASIDE}")
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE]
            )
            (sql,) = cursor.fetchone()
            cursor.execute(sql.replace(f'"{TABLE}"', f'"{ASIDE}"', 1))
            # Its full-text side, named after the table it will be: nothing reads it before.
            cursor.execute(
                f"CREATE VIRTUAL TABLE {FTS_ASIDE} USING fts5(title_terms, body_terms, "
                f"content='{TABLE}', content_rowid='id', "
                "tokenize='unicode61 remove_diacritics 2')"
            )
            cursor.execute(
                f"CREATE TRIGGER search_rebuild_ai AFTER INSERT ON {ASIDE} BEGIN "
                f"INSERT INTO {FTS_ASIDE}(rowid, title_terms, body_terms) "
                "VALUES (new.id, new.title_terms, new.body_terms); END"
            )
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {TABLE}")
            (last,) = cursor.fetchone()
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [ASIDE])
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [ASIDE, last])

    def _stream_aside(self, writer, vocabulary):
        writer.set_autocommit(False)
        try:
            with writer.cursor() as cursor:
                with cursor.cursor.copy(self._copy_statement(ASIDE)) as copy:

                    def write(entries):
                        for entry in entries:
                            copy.write_row(self._row(entry, vocabulary))

                    yield write
                cursor.execute(f"ANALYZE {ASIDE}")
            writer.commit()
        except BaseException:
            if writer.connection is not None:
                writer.rollback()
            raise
        finally:
            if writer.connection is not None:
                writer.set_autocommit(True)

    def _write_aside(self, writer, vocabulary, entries) -> None:
        entries = list(entries)
        if entries:
            with _transaction(writer), writer.cursor() as cursor:
                self._insert(writer, cursor, ASIDE, entries, vocabulary)

    @staticmethod
    def _index_aside_sqlite(writer) -> None:
        """SQLite: the old table's indexes on the new one (their names alternate between two
        forms, index names being unique in a database), its FTS5 segments merged: each in a
        transaction of its own, before the swap."""
        with _transaction(writer), writer.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [TABLE],
            )
            for name, sql in cursor.fetchall():
                other = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name + SUFFIX
                sql = sql.replace(f'"{name}"', f'"{other}"', 1).replace(
                    f'"{TABLE}"', f'"{ASIDE}"', 1
                )
                cursor.execute(sql)
        with _transaction(writer), writer.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_ASIDE}({FTS_ASIDE}) VALUES ('optimize')")

    def _swap_when_free(self, writer) -> None:
        """The swap, which waits for the statements using the old table to end. On PostgreSQL
        it waits at most ``SWAP_LOCK_TIMEOUT`` at a time (searches and posts queue behind a
        waiting swap), then lets them through and tries again."""
        for attempt in range(1, SWAP_ATTEMPTS + 1):
            try:
                with _transaction(writer):
                    if writer.vendor == "postgresql":
                        with writer.cursor() as cursor:
                            cursor.execute(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT}'")
                    self._swap(writer)
                return
            except OperationalError as error:
                lock_timeout = getattr(error.__cause__, "sqlstate", None) == "55P03"
                if not lock_timeout or attempt == SWAP_ATTEMPTS:
                    raise
                time.sleep(attempt)

    @staticmethod
    def _swap(writer) -> None:
        """In one short transaction, the new table takes the old one's name (and on PostgreSQL
        the names of its indexes, constraints and sequence), the old one is dropped."""
        with writer.cursor() as cursor:
            if writer.vendor == "postgresql":
                cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
                renames = _index_renames(cursor)
                cursor.execute(
                    f"SELECT pg_get_serial_sequence('{TABLE}', 'id'), "
                    f"pg_get_serial_sequence('{ASIDE}', 'id')"
                )
                old_sequence, new_sequence = cursor.fetchone()
                cursor.execute(f"DROP TABLE {TABLE}")
                cursor.execute(f"ALTER TABLE {ASIDE} RENAME TO {TABLE}")
                for new, old in renames:
                    cursor.execute(f'ALTER INDEX "{new}" RENAME TO "{old}"')
                if old_sequence and new_sequence:
                    old_name = old_sequence.rsplit(".", 1)[-1].strip('"')
                    cursor.execute(f'ALTER SEQUENCE {new_sequence} RENAME TO "{old_name}"')
                return
            cursor.execute(f"DROP TABLE {TABLE}")  # with its triggers and indexes
            cursor.execute(f"DROP TABLE {FTS}")
            cursor.execute("DROP TRIGGER search_rebuild_ai")
            cursor.execute(f"ALTER TABLE {ASIDE} RENAME TO {TABLE}")
            cursor.execute(f"ALTER TABLE {FTS_ASIDE} RENAME TO {FTS}")
            for statement in SQLITE_TRIGGERS:
                cursor.execute(statement)

    @staticmethod
    def _drop_aside(writer) -> None:
        with writer.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {ASIDE}")
            if writer.vendor == "sqlite":
                cursor.execute(f"DROP TABLE IF EXISTS {FTS_ASIDE}")

    @staticmethod
    def _row(entry, vocabulary=None) -> list:
        return [*entry.values(), month_of(entry.date), *analysed(entry, vocabulary)]

    @staticmethod
    def _copy_statement(table=TABLE) -> str:
        columns = [*ENTRY_FIELDS, "month", *TERM_COLUMNS]
        return f"COPY {table} ({', '.join(columns)}) FROM STDIN"

    @transaction.atomic
    def write(self, entries) -> None:
        """Replace the entries of these keys. Rows
        go in through ``COPY`` on PostgreSQL and one prepared ``INSERT`` on SQLite: the model
        layer would cost more than the full-text work the triggers do for each row."""
        entries = list(entries)
        if not entries:
            return
        SearchEntry.objects.filter(key__in=[e.key for e in entries]).delete()
        vocabulary: dict = {}
        with connection.cursor() as cursor:
            self._insert(connection, cursor, TABLE, entries, vocabulary)
        self._add_vocabulary(vocabulary)

    def _insert(self, db, cursor, table, entries, vocabulary) -> None:
        if db.vendor == "postgresql":
            with cursor.cursor.copy(self._copy_statement(table)) as copy:
                for entry in entries:
                    copy.write_row(self._row(entry, vocabulary))
            return
        columns = [*ENTRY_FIELDS, "month", *TERM_COLUMNS]
        adapt = db.ops.adapt_datetimefield_value
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

    @staticmethod
    def _add_vocabulary(vocabulary: dict) -> None:
        """The terms of ``vocabulary`` the index does not know yet, with their written word."""
        if not vocabulary:
            return
        known = set()
        terms = list(vocabulary)
        for start in range(0, len(terms), 5000):
            known.update(
                SearchTerm.objects.filter(term__in=terms[start : start + 5000]).values_list(
                    "term", flat=True
                )
            )
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=t, word=w) for t, w in vocabulary.items() if t not in known],
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
            # A subquery, not ``= ANY(array)``: a prepared statement's generic plan compares
            # each row with the whole array, where the subquery is hashed once.
            return queryset.extra(
                where=[f"{column} IN (SELECT unnest(%s::integer[]))"], params=[visible]
            )
        return queryset.extra(
            where=[f"{column} IN (SELECT value FROM json_each(%s))"], params=[json.dumps(visible)]
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
        limit = count_limit()
        # At most ``limit + 1`` matches are read, in the order the full-text index hands them
        # over (the table's order): past the bound the total is « more than `limit` », and
        # the facets and the ranking are those of the matches read. Sorting every match (by
        # date, or by rank) before the bound would read them all, which is the cost bounded.
        matches = base.order_by().values(*columns)[: limit + 1]
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
            parts.append("SELECT 'matched', NULL, COUNT(*) FROM matches")
        else:
            parts = [
                f"SELECT 'total', NULL, COUNT(*) FROM matches WHERE {condition}",
                "SELECT 'matched', NULL, COUNT(*) FROM matches",
            ]
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
        page_part = (
            f"SELECT 'page', CAST(id AS TEXT), ROW_NUMBER() OVER (ORDER BY {order}) "
            f"FROM (SELECT * FROM matches WHERE {condition} ORDER BY {order} "
            f"LIMIT %s OFFSET %s) AS page"
        )
        parts.append(page_part)
        params += [*values, query.per_page, start]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH matches AS MATERIALIZED ({sql}) " + " UNION ALL ".join(parts), params
            )
            rows = cursor.fetchall()
            matched = next((n for section, _v, n in rows if section == "matched"), 0)
            if matched > limit and chosen:
                # Past the bound, the chosen filters select among all the matches, not only
                # among the ``limit`` read: the total and the page are read again with them.
                filtered = base
                for name, value in chosen.items():
                    if name in FACETS:
                        filtered = filtered.filter(
                            **{name: int(value) if name in INTEGER_FACETS else value}
                        )
                again = filtered.order_by().values(*columns)[: limit + 1]
                sql, again_params = again.query.sql_with_params()
                cursor.execute(
                    f"WITH matches AS MATERIALIZED ({sql}) "
                    "SELECT 'total', NULL, COUNT(*) FROM matches UNION ALL "
                    + page_part.replace(condition, "1 = 1"),
                    [*again_params, query.per_page, start],
                )
                rows = [row for row in rows if row[0] not in ("total", "page")] + list(
                    cursor.fetchall()
                )

        total, facets, ranked = 0, {name: [] for name in (*FACETS, "month")}, []
        for section, value, n in rows:
            if section == "total":
                total = n
            elif section == "page":
                ranked.append((n, int(value)))
            elif section != "matched" and value not in (None, "") and n:
                facets[section].append((int(value) if section in INTEGER_FACETS else value, n))
        sampled = matched > limit  # the facets counted the first ``limit`` matches only
        bounded = total > limit if sampled and chosen else sampled
        total = min(total, limit)
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
        return Results(
            total,
            hits,
            facets,
            query.page,
            query.per_page,
            total_is_lower_bound=bounded,
            facets_approximate=sampled,
        )

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
