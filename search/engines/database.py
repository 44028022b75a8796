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
import time
import unicodedata
from contextlib import contextmanager
from functools import partial

from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
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
TABLE = SearchEntry._meta.db_table
ASIDE = f"{TABLE}_rebuild"  # a rebuild's new table, until it takes the old one's place
FTS_ASIDE = f"{FTS}_rebuild"
SUFFIX = "_rb"
SWAP_LOCK_TIMEOUT = "2s"
SWAP_ATTEMPTS = 10
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER search_entry_ai AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    f"CREATE TRIGGER search_entry_ad AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);"
    " END",
    f"CREATE TRIGGER search_entry_au AFTER UPDATE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);"
    f" INSERT INTO {FTS}(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
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
        try:
            with _transaction(writer):
                self._create_aside(writer)
            try:
                if postgresql and own:
                    yield from self._stream_aside(writer)
                else:
                    yield partial(self._write_aside, writer)
                    if postgresql:
                        with writer.cursor() as cursor:
                            cursor.execute(f"ANALYZE {ASIDE}")
                if not postgresql:
                    self._index_aside_sqlite(writer)
                self._swap_when_free(writer)
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
                f"CREATE VIRTUAL TABLE {FTS_ASIDE} USING fts5(title, body, content='{TABLE}', "
                "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
            )
            cursor.execute(
                f"CREATE TRIGGER search_rebuild_ai AFTER INSERT ON {ASIDE} BEGIN "
                f"INSERT INTO {FTS_ASIDE}(rowid, title, body) VALUES (new.id, new.title, new.body);"
                " END"
            )
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {TABLE}")
            (last,) = cursor.fetchone()
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [ASIDE])
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [ASIDE, last])

    def _stream_aside(self, writer):
        writer.set_autocommit(False)
        try:
            with writer.cursor() as cursor:
                with cursor.cursor.copy(self._copy_statement(ASIDE)) as copy:

                    def write(entries):
                        for entry in entries:
                            copy.write_row(self._row(entry))

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

    def _write_aside(self, writer, entries) -> None:
        entries = list(entries)
        if entries:
            with _transaction(writer), writer.cursor() as cursor:
                self._insert(writer, cursor, ASIDE, entries)

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
    def _row(entry) -> list:
        return [*entry.values(), month_of(entry.date)]

    @staticmethod
    def _copy_statement(table=TABLE) -> str:
        columns = [*ENTRY_FIELDS, "month"]
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
        with connection.cursor() as cursor:
            self._insert(connection, cursor, TABLE, entries)

    def _insert(self, db, cursor, table, entries) -> None:
        if db.vendor == "postgresql":
            with cursor.cursor.copy(self._copy_statement(table)) as copy:
                for entry in entries:
                    copy.write_row(self._row(entry))
            return
        columns = [*ENTRY_FIELDS, "month"]
        adapt = db.ops.adapt_datetimefield_value
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
