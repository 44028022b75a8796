"""The embedded engine's index: one row per searchable entry, filled from the mapping in
:mod:`search.documents`. The full-text side lives in the database itself: an FTS5 table kept in
step by triggers on SQLite, a weighted ``tsvector`` column with a GIN index on PostgreSQL
(French, accent-insensitive). See the migration."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    key = models.CharField(max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, db_index=True)
    charter_id = models.IntegerField(null=True, db_index=True)
    charter_title = models.CharField(max_length=255, blank=True)
    iteration_id = models.IntegerField(null=True, db_index=True)
    iteration_title = models.CharField(max_length=255, blank=True)
    article = models.PositiveIntegerField(null=True)
    amendment_status = models.CharField(max_length=20, blank=True)
    author_type = models.CharField(max_length=30, blank=True)
    origin = models.CharField(max_length=20, default="online")
    language = models.CharField(max_length=10)
    date = models.DateTimeField(db_index=True)
    month = models.CharField(max_length=7, blank=True)  # "2026-03", in Europe/Paris
    title = models.CharField(max_length=300)
    body = models.TextField()
    url = models.CharField(max_length=500)
    # The page the entry links to: shown only while it and its ancestors are live and public.
    page_id = models.IntegerField(null=True)
    search_vector = SearchVectorField(null=True, editable=False)
    # The normalised words of the title and body (:mod:`search.french`) that the full-text
    # side indexes; PostgreSQL empties them once it has built the text vector.
    title_terms = models.TextField(blank=True, default="", editable=False)
    body_terms = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self):
        return self.key


class RebuildInProgress(models.Model):
    """Present while ``rebuild_search_index`` builds a new index aside: changes indexed
    meanwhile are then noted in :class:`RebuildChange`, to be indexed again once the new index
    is in place (what was written to the old one would otherwise be lost with it)."""

    started_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"rebuild started {self.started_at:%Y-%m-%d %H:%M:%S}"


class RebuildChange(models.Model):
    """An object whose entries were recomputed while a rebuild was running."""

    kind = models.CharField(max_length=20)
    object_pk = models.BigIntegerField()

    def __str__(self):
        return f"{self.kind}:{self.object_pk}"


class SearchTerm(models.Model):
    """The vocabulary of the index: each term once, with a word it stands for as people write it
    (« concertation »), from which « Did you mean … ? » is chosen for a query that finds
    nothing (trigram similarity on PostgreSQL). Kept by the engine's writes, emptied by a
    rebuild; a suggestion is offered only if it finds something visible."""

    term = models.CharField(max_length=100, primary_key=True)
    word = models.CharField(max_length=100)

    def __str__(self):
        return self.word
