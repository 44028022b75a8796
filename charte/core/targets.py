"""The one contract of everything people discuss: a paragraph, an amendment, a debate argument,
and the kinds to come.

Comments, follows, notifications, moderation and search never ask *what* they are attached
to: they call the methods below, which each kind of target implements on its model. A model
becomes a target by inheriting :class:`DiscussionTarget` and defining its ``discussion_kind``.
Rows that point at a target (a comment, a follow) do it through the content type and the
primary key, so a new kind needs no new column.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.contrib.contenttypes.models import ContentType


class DiscussionTarget:
    """What every discussion target implements (a mixin of its model)."""

    #: Its name in addresses, unfollow links, exports and search keys (« paragraph »…).
    discussion_kind: ClassVar[str] = ""
    #: What to read with it when many are read at once (``select_related``).
    discussion_related: ClassVar[tuple[str, ...]] = ()
    #: Whether it can be hidden from readers (its discussion then leaves search with it).
    discussion_hideable: ClassVar[bool] = False
    #: Whether its discussion stays open for good (a commitment followed for years): the IP
    #: addresses of its comments are then erased as long after they were written as those of
    #: the other discussions are after they close.
    discussion_stays_open: ClassVar[bool] = False

    def discussion_closed_reason(self, now: datetime.datetime | None = None) -> str | None:
        """Why it cannot be discussed now, whoever asks (None when it can)."""
        raise NotImplementedError

    def discussion_charter(self):
        """The charter it belongs to (None for a debate that stands alone)."""
        return self.discussion_page().charter()

    def discussion_premoderated(self) -> bool:
        """Whether what is written about it waits for a moderator's approval (its charter's
        setting; without a charter, the site's default: no)."""
        charter = self.discussion_charter()
        return bool(charter and charter.premoderation)

    def discussion_title(self) -> str:
        """How a sentence names it after « on » / « sur », in the active language
        (« l’article 3, alinéa 2 », « l’amendement n° 12 »)."""
        raise NotImplementedError

    def discussion_words(self) -> dict[str, str]:
        """The words of its discussion, in the active language: ``empty`` (no comment yet) and
        ``label`` (the new comment's field)."""
        raise NotImplementedError

    def discussion_page(self):
        """The page it is read on (its version, its debate): whose visibility, translations
        and charter decide for its discussion."""
        raise NotImplementedError

    def discussion_address(self, page=None) -> str:
        """The address of its discussion on ``page`` (its page or one of its translations)."""
        return self.get_url(page)

    def discussion_form_address(self, page, action: str, comment_id: int | None = None) -> str:
        """The address a form of its discussion posts to on ``page`` (its page or one of its
        translations): ``action`` "comment" or "follow" for the thread, or one of the comment
        actions (reply, react, report, delete…) for the comment ``comment_id``."""
        raise NotImplementedError

    def discussion_route(self) -> tuple[str, object]:
        """The sub-page route of its discussion on :meth:`discussion_page`: (name, argument)."""
        raise NotImplementedError

    def discussion_shown(self) -> bool:
        """Whether readers see it (a hidden argument takes its discussion out of search)."""
        return True

    def discussion_article(self) -> str | None:
        """The article of the charter it belongs to, for search facets (None if none)."""
        return None

    def discussion_earlier(self) -> list:
        """The earlier targets whose discussion it carries, read-only (the same wording in the
        previous versions), the latest first; none by default."""
        return []


def target_models() -> tuple[type, ...]:
    """Every kind of discussion target: the installed models that implement the contract."""
    from django.apps import apps

    return tuple(
        model
        for model in apps.get_models()
        if issubclass(model, DiscussionTarget) and model.discussion_kind
    )


def is_target(obj) -> bool:
    return isinstance(obj, DiscussionTarget) and obj.pk is not None


def target_type(target_or_model) -> ContentType:
    model = target_or_model if isinstance(target_or_model, type) else type(target_or_model)
    return ContentType.objects.get_for_model(model)


def target_model(content_type_id: int):
    """The target model of a content type id (None if it is not a discussion target)."""
    for model in target_models():
        if ContentType.objects.get_for_model(model).pk == content_type_id:
            return model
    return None


def target_named(kind: str):
    """The target model whose ``discussion_kind`` is ``kind`` (None if none)."""
    return next((model for model in target_models() if model.discussion_kind == kind), None)


def target_of(content_type_id: int, object_pk) -> DiscussionTarget | None:
    """The target a row points at by content type and primary key (None for anything else)."""
    model = target_model(content_type_id)
    if model is None or not str(object_pk).isdigit():
        return None
    return model.objects.select_related(*model.discussion_related).filter(pk=int(object_pk)).first()


def allowed_content_types():
    """A ``limit_choices_to`` for the content type of a row pointing at a target."""
    from django.db.models import Q

    query = Q(pk__in=[])
    for model in target_models():
        query |= Q(app_label=model._meta.app_label, model=model._meta.model_name)
    return query


def page_in_language(page, language: str):
    """The published translation of ``page`` in ``language``, or ``page`` itself."""
    from charte.core.locales import locale_for

    locale = locale_for(language)
    translation = page.get_translation_or_none(locale) if locale else None
    if translation is None or not translation.live:
        return page
    return translation


def address_in(target, language: str) -> str:
    """The address of ``target``'s discussion in ``language`` when its page is translated."""
    return target.discussion_address(page_in_language(target.discussion_page(), language))
