"""Read-only JSON API of the discussions: a paragraph's or an amendment's thread, and counts.

The comment library's own API is not routed (it would answer for any object). These views
answer only for targets the requester may see: a paragraph of a live, frozen iteration whose
page and ancestors let the request through their view restrictions (password, groups, signed
in). Anything else, existing or not, is a 404, so that a private text is not even revealed.
The comments are those shown on the paragraph's page: pending ones never appear; hidden and
deleted ones are placeholders without author or text.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from charte.amendments.models import Amendment
from charte.discussions.services import amendment_comment_count, comment_counts, comments_for
from charte.texts.pages import CharterIterationPage
from charte.texts.paragraphs import Paragraph


def page_visible_to(request, page) -> bool:
    """Whether ``request`` may read ``page``, as Wagtail decides when it serves the page."""
    if not page.live or page.expired:
        return False
    return all(restriction.accept_request(request) for restriction in page.get_view_restrictions())


def visible_paragraph(request, pk) -> Paragraph:
    paragraph = (
        Paragraph.objects.filter(pk=pk).select_related("iteration", "iteration__locale").first()
    )
    if paragraph is None or not page_visible_to(request, paragraph.iteration):
        raise Http404(_("No such paragraph."))
    return paragraph


def visible_amendment(request, pk) -> Amendment:
    amendment = Amendment.objects.filter(pk=pk).select_related("iteration").first()
    if amendment is None or not page_visible_to(request, amendment.iteration):
        raise Http404(_("No such amendment."))
    return amendment


def visible_iteration(request, pk) -> CharterIterationPage:
    iteration = CharterIterationPage.objects.filter(pk=pk).first()
    if iteration is None or not page_visible_to(request, iteration):
        raise Http404(_("No such text."))
    source = iteration.source
    if source.frozen_at is None or not page_visible_to(request, source):
        raise Http404(_("No such text."))
    return iteration


class CommentSerializer(serializers.BaseSerializer):
    """A comment as the paragraph's page shows it."""

    def to_representation(self, comment):
        request = self.context["request"]
        paragraph_url = self.context["paragraph_url"]
        if comment.deleted_at:
            state, shown = "deleted", False
        elif comment.hidden_at:
            state, shown = "hidden", False
        else:
            state, shown = "visible", True
        return {
            "id": comment.pk,
            "parent": comment.parent_id if comment.parent_id != comment.pk else None,
            "thread": comment.thread_id,
            "level": comment.level,
            "state": state,
            "author": str(comment.author_name) if shown else None,
            # Never the type of the facilitator who entered what a workshop said.
            "author_type": (comment.user.public_author_type or None)
            if shown and comment.user and not comment.workshop_id
            else None,
            "origin": comment.origin,
            "workshop": (
                request.build_absolute_uri(comment.workshop.get_url())
                if shown and comment.workshop_id
                else None
            ),
            "submitted_at": comment.submit_date.isoformat(),
            "language": comment.language,
            "text": comment.comment if shown else "",
            "html": str(comment.html) if shown else "",
            "hidden_reason": comment.hidden_reason if state == "hidden" else "",
            "hidden_at": comment.hidden_at.isoformat() if comment.hidden_at else None,
            "deleted_at": comment.deleted_at.isoformat() if comment.deleted_at else None,
            "agree": comment.agree_count,
            "disagree": comment.disagree_count,
            "url": request.build_absolute_uri(f"{paragraph_url}#c{comment.pk}"),
        }


class ThreadPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class ParagraphComments(generics.ListAPIView):
    """``GET /api/paragraphs/<id>/comments/?sort=date|reactions&page=N``"""

    serializer_class = CommentSerializer
    pagination_class = ThreadPagination
    find_target = staticmethod(visible_paragraph)

    def get_queryset(self):
        self.target = self.find_target(self.request, self.kwargs["pk"])
        sort = "reactions" if self.request.query_params.get("sort") == "reactions" else "date"
        return comments_for(self.target, sort=sort)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["paragraph_url"] = self.target.get_url()
        return context


class AmendmentComments(ParagraphComments):
    """``GET /api/amendments/<id>/comments/``: an amendment's own discussion."""

    find_target = staticmethod(visible_amendment)


class ParagraphCommentCount(APIView):
    """``GET /api/paragraphs/<id>/comments/count/``: comments shown as written."""

    def get(self, request, pk):
        paragraph = visible_paragraph(request, pk)
        count = comment_counts([paragraph.pk]).get(paragraph.pk, 0)
        return Response({"paragraph": paragraph.pk, "key": paragraph.key, "count": count})


class AmendmentCommentCount(APIView):
    """``GET /api/amendments/<id>/comments/count/``"""

    def get(self, request, pk):
        amendment = visible_amendment(request, pk)
        count = amendment_comment_count(amendment)
        return Response({"amendment": amendment.pk, "number": amendment.number, "count": count})


class IterationCommentCounts(APIView):
    """``GET /api/iterations/<page id>/comments/count/``: the counts of the iteration page's
    margin, per paragraph key (any translation of the iteration gives the same thread)."""

    def get(self, request, pk):
        iteration = visible_iteration(request, pk)
        rows = list(iteration.source.paragraphs.order_by("position").values_list("pk", "key"))
        counts = comment_counts([pk for pk, _key in rows])
        per_key = {key: counts.get(pk, 0) for pk, key in rows}
        return Response(
            {"iteration": iteration.pk, "total": sum(per_key.values()), "paragraphs": per_key}
        )


urlpatterns = [
    path("paragraphs/<int:pk>/comments/", ParagraphComments.as_view(), name="api_comments"),
    path(
        "paragraphs/<int:pk>/comments/count/",
        ParagraphCommentCount.as_view(),
        name="api_comment_count",
    ),
    path(
        "amendments/<int:pk>/comments/", AmendmentComments.as_view(), name="api_amendment_comments"
    ),
    path(
        "amendments/<int:pk>/comments/count/",
        AmendmentCommentCount.as_view(),
        name="api_amendment_comment_count",
    ),
    path(
        "iterations/<int:pk>/comments/count/",
        IterationCommentCounts.as_view(),
        name="api_iteration_comment_counts",
    ),
]
