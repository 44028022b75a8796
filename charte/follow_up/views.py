"""The public follow-up of an adopted charter, served by the routes of CharterPage in the
reader's language: every published commitment with its progress, by article (filtered by status
and service), and each commitment's page: the article's wording, where it came from, its
timeline of updates, its indicators, its followers and its discussion.

Commitments belong to the charter in the source language: a translated charter page shows the
same ones at its own addresses. Writes go through the discussions' services (comments, follows).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from charte.discussions.services import follow_start, follow_stop, is_following
from charte.discussions.views import (
    COMMENT_ACTIONS,
    comment_action,
    discussion_context,
    find_comment,
    follow,
    post_comment,
)
from charte.follow_up import queries
from charte.follow_up.models import REASONED, CommitmentStatus
from charte.texts.reading import reading_outline
from charte.workshops.queries import text_language


def follow_up_index(page, request):
    """Every published commitment of the charter, by article of the adopted version, with the
    overall progress, filters by status and service, and the charter's indicators."""
    index = queries.follow_up_index(
        page,
        user=request.user,
        status=request.GET.get("status", ""),
        service=request.GET.get("service", ""),
    )
    if index is None:
        raise Http404
    shown_numbers = {group.number for group in index.groups}
    # « 3 and 7 », each number linked to its article when shown.
    amended_parts = [
        format_html('<a href="#article-{0}">{0}</a>', number)
        if number in shown_numbers
        else str(number)
        for number in sorted(index.amended)
    ]
    amended_sentence = (
        mark_safe(get_text_list(amended_parts, conditional_escape(pgettext("list", "and"))))
        if amended_parts
        else ""
    )
    filters = []
    if index.status:
        filters.append(CommitmentStatus(index.status).label)
    if index.service:
        filters.append(next(s.name for s in index.services if str(s.pk) == index.service))
    return page.render(
        request,
        template="charte/follow_up/follow_up_index.html",
        context_overrides={
            "adopted": index.reading,
            "overview": queries.overview(index.commitments, index.today),
            "groups": index.groups,
            "shown_count": len(index.shown),
            "statuses": [
                (value, label, index.status_counts[value])
                for value, label in CommitmentStatus.choices
            ],
            "services": [(s, index.service_counts[s.pk]) for s in index.services],
            "filters": {"status": index.status, "service": index.service},
            "filter_summary": " · ".join(str(f) for f in filters),
            "amended_count": len(index.amended),
            "amended_articles": amended_parts,
            "amended_sentence": amended_sentence,
            "indicators": queries.charter_indicators(page),
            "text_lang": text_language(),
            "year": index.today.year,
        },
    )


# -- One commitment -------------------------------------------------------------------------


def _commitment_or_404(page, number):
    commitment = queries.commitment_of(page, number)
    if commitment is None:
        raise Http404
    return commitment


def _article(reading, number):
    for section in reading_outline(reading):
        for article in section.articles:
            if article.number == number:
                return article
    return None


def commitment_view(page, request, number, commitment=None, **state):
    """One commitment: what it is, the article it carries out, where it came from, its
    timeline, its indicators, its followers and its discussion."""
    commitment = commitment or _commitment_or_404(page, number)
    reading = queries.in_language(commitment.iteration, page)
    article = _article(reading, commitment.article_number)
    keys = [p.key for p in article.paragraphs] if article else []
    origins = queries.origins(
        commitment, page, keys, article.key if article else "", request=request
    )
    updates = queries.updates_of(commitment)
    for update in updates:
        update.status_label = CommitmentStatus(update.status).label if update.status else ""
    thread_url = commitment.get_url(page)
    return page.render(
        request,
        template="charte/follow_up/commitment_page.html",
        context_overrides={
            **discussion_context(request, commitment, thread_url=thread_url, page=page, **state),
            "heading": "h2",
            "charter": page,
            "commitment": commitment,
            "late": commitment.is_late(),
            "reasoned": commitment.status in REASONED,
            "adopted": reading,
            "article": article,
            "article_url": f"{reading.url}#article-{commitment.article_number}",
            "origin_amendments": origins["amendments"],
            "origin_workshops": origins["workshops"],
            "updates": updates,
            "indicators": queries.commitment_indicators(commitment),
            "text_lang": text_language(),
            "follow_up_url": page.route_url("follow_up"),
        },
    )


def _done(page, commitment):
    def done(anchor):
        return redirect(f"{commitment.get_url(page)}#{anchor}")

    return done


def _render(page, request, commitment):
    def render(**state):
        return commitment_view(page, request, commitment.number, commitment=commitment, **state)

    return render


def _follow_commitment(request, commitment, done):
    """« Follow this commitment » (POST, signed-in readers): an e-mail on each update."""
    if request.method == "POST" and request.user.is_authenticated:
        if request.POST.get("follow") == "stop" or (
            request.POST.get("follow") != "start" and is_following(commitment, request.user)
        ):
            follow_stop(target=commitment, by=request.user)
            messages.success(request, _("You no longer follow this commitment."))
        else:
            follow_start(target=commitment, by=request.user)
            messages.success(
                request,
                _(
                    "You follow this commitment: you will get an e-mail on each of its "
                    "updates, and one gathering its new comments."
                ),
            )
    elif request.method == "POST":
        messages.error(request, _("Sign in to follow this commitment."))
    return done("follow")


def commitment_action(page, request, number, action):
    """Comment or follow a commitment (POST)."""
    commitment = _commitment_or_404(page, number)
    done = _done(page, commitment)
    if action == "comment" and request.method == "POST":
        return post_comment(
            request, commitment, render=_render(page, request, commitment), done=done
        )
    if action == "follow":
        if request.POST.get("scope") == "commitment":
            return _follow_commitment(request, commitment, done)
        return follow(request, commitment, done=done)
    return redirect(commitment.get_url(page))


def commitment_comment_action(page, request, number, comment_id, action):
    """React to, report, or delete one's own comment in a commitment's discussion."""
    commitment = _commitment_or_404(page, number)
    if request.method != "POST" or action not in COMMENT_ACTIONS:
        return redirect(commitment.get_url(page))
    comment = find_comment(commitment, comment_id)
    if comment is None:
        raise Http404
    return comment_action(
        request,
        commitment,
        comment,
        action,
        render=_render(page, request, commitment),
        done=_done(page, commitment),
    )
