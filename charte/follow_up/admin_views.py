"""The team's screens of the follow-up: Wagtail's generic views, saving through the
follow-up's services.

- a commitment is saved by ``commitment_save`` (a new one numbered in its charter, on the
  adopted version) and deleted by ``commitment_delete`` (refused once it has updates or
  comments: it is unpublished instead);
- an update is published by ``update_publish`` (the commitment's status and progress move, its
  followers are e-mailed once); correcting it e-mails nobody again;
- a questionnaire is created by ``questionnaire_for`` (the default questions); once sent, its
  questions are shown, no longer edited.

A refusal becomes errors on the fields at fault, listed at the top of the form (each a link to
its field), what was typed kept."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from wagtail.admin.messages import render
from wagtail.admin.views import generic
from wagtail.log_actions import log

from charte.core.exceptions import Refused
from charte.core.rules import can_manage_follow_up
from charte.follow_up import services
from charte.follow_up.forms import refusal_to_errors
from charte.follow_up.models import Commitment, CommitmentUpdate, Questionnaire


def team_only(view):
    """The follow-up's screens are the communication team's: others get a 403 (those without
    the admin at all are sent away before, as everywhere in the admin)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_manage_follow_up(request.user):
            return TemplateResponse(
                request,
                "charte/admin/follow_up/forbidden.html",
                {
                    "message": _(
                        "The follow-up of commitments is the communication team’s: ask them."
                    ),
                    "page_title": _("Follow-up of commitments"),
                    "header_icon": "tasks",
                },
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapped


class ErrorSummaryMixin:
    """An invalid form is answered with the list of its errors at the top, each a link to its
    field (the error summary), besides the errors beside each field."""

    def form_invalid(self, form):
        items = []
        for child in [form, *_children(form)]:
            for name, errors in child.errors.items():
                field = child.fields.get(name)
                anchor = f"#{child[name].id_for_label}" if field is not None else None
                for error in errors:
                    text = (
                        _("%(field)s: %(error)s") % {"field": field.label, "error": error}
                        if field is not None
                        else error
                    )
                    items.append((anchor, text))
        for formset in getattr(form, "formsets", {}).values():
            items.extend((None, error) for error in formset.non_form_errors())
        detail = format_html(
            '<ul class="errorlist">{}</ul>',
            format_html_join(
                "\n",
                "{}",
                (
                    (
                        format_html('<li><a href="{}">{}</a></li>', anchor, text)
                        if anchor
                        else format_html("<li>{}</li>", text),
                    )
                    for anchor, text in items
                ),
            ),
        )
        messages.error(self.request, render(self.get_error_message(), None, detail=detail))
        self.produced_error_message = None
        return super().form_invalid(form)


def _children(form):
    for formset in getattr(form, "formsets", {}).values():
        yield from formset.forms


# -- Commitments ------------------------------------------------------------------------------


class CommitmentIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("charter", "service")
            .defer("description", "description_en", "status_reason", "status_reason_en")
        )


class CommitmentSaving(ErrorSummaryMixin):
    """Saving through the follow-up's service: its refusals become the form's errors."""

    log_action = "wagtail.edit"

    def save_instance(self):
        commitment = services.commitment_save(commitment=self.form.instance, by=self.request.user)
        log(instance=commitment, action=self.log_action, user=self.request.user)
        return commitment

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except Refused as refusal:
            refusal_to_errors(form, refusal)
            return self.form_invalid(form)


class CommitmentCreateView(CommitmentSaving, generic.CreateView):
    log_action = "wagtail.create"

    def get_success_message(self, instance):
        return _("Commitment no. %(number)s « %(title)s » is recorded.") % {
            "number": instance.number,
            "title": instance.title,
        }

    def get_success_url(self):
        return reverse("follow_up_commitments:edit", args=[self.object.pk])


class CommitmentEditView(CommitmentSaving, generic.EditView):
    def get_success_message(self):
        return _("Commitment no. %(number)s « %(title)s » is saved.") % {
            "number": self.object.number,
            "title": self.object.title,
        }


class CommitmentDeleteView(generic.DeleteView):
    """A commitment whose updates or comments were public is not deleted: the team is told
    why, and to unpublish it instead."""

    def dispatch(self, request, *args, **kwargs):
        try:
            services.commitment_delete_check(self.object)
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect(_commitment_edit_url(self.object))
        return super().dispatch(request, *args, **kwargs)

    def delete_action(self):
        services.commitment_delete(commitment=self.object, by=self.request.user)


# -- Updates ----------------------------------------------------------------------------------


def _commitment_edit_url(commitment) -> str:
    return reverse("follow_up_commitments:edit", args=[commitment.pk])


def _publish(form, *, commitment, by):
    """The update of ``form`` (with its photos and documents) through ``update_publish``: it
    moves the commitment, and its followers are told once."""
    data = form.cleaned_data
    return services.update_publish(
        commitment=commitment,
        text=data["text"],
        text_en=data.get("text_en", ""),
        published_on=data.get("published_on"),
        status=data.get("status") or "",
        status_reason=data.get("status_reason") if data.get("status") else None,
        progress=data.get("progress"),
        update=form.save(commit=False),
        by=by,
    )


class UpdateCreateView(ErrorSummaryMixin, generic.CreateView):
    """Publish an update of the commitment given by ``?commitment=``."""

    @cached_property
    def commitment(self) -> Commitment:
        raw = self.request.GET.get("commitment", "")
        if not raw.isdigit():
            raise Http404
        return get_object_or_404(Commitment.objects.select_related("charter"), pk=int(raw))

    def get_initial_form_instance(self):
        return CommitmentUpdate(commitment=self.commitment)

    def get_add_url(self):
        return f"{reverse(self.add_url_name)}?commitment={self.commitment.pk}"

    def get_page_subtitle(self):
        return str(self.commitment)

    def save_instance(self):
        return _publish(self.form, commitment=self.commitment, by=self.request.user)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except Refused as refusal:
            refusal_to_errors(form, refusal)
            return self.form_invalid(form)

    def get_success_message(self, instance):
        commitment = self.commitment
        if not commitment.is_published:
            return _("The update is recorded. The commitment is not published: nobody is told.")
        return _("The update is published; the commitment’s followers are e-mailed (once).")

    def get_success_url(self):
        return _commitment_edit_url(self.commitment)


class UpdateEditView(ErrorSummaryMixin, generic.EditView):
    """Correct an update: its followers were told already, nobody is e-mailed again. The
    latest update's status and progress still move the commitment."""

    def save_instance(self):
        update = self.form.instance
        latest = update.commitment.updates.order_by("-published_on", "-pk").first()
        moves = {"status", "progress", "status_reason"} & set(self.form.changed_data)
        if latest is not None and latest.pk == update.pk and moves:
            return _publish(self.form, commitment=update.commitment, by=self.request.user)
        return super().save_instance()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except Refused as refusal:
            refusal_to_errors(form, refusal)
            return self.form_invalid(form)

    def get_success_message(self):
        return _("The update is corrected; nobody is e-mailed again.")

    def get_success_url(self):
        return _commitment_edit_url(self.object.commitment)


class UpdateDeleteView(generic.DeleteView):
    def get_success_url(self):
        return _commitment_edit_url(self.object.commitment)


# -- Indicators -------------------------------------------------------------------------------


class IndicatorIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("charter", "commitment")


# -- Questionnaires ---------------------------------------------------------------------------


class QuestionnaireIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("iteration")


class QuestionnaireCreateView(ErrorSummaryMixin, generic.CreateView):
    """Choose the consultation: its questionnaire starts with the default questions."""

    create_panel = None

    def get_panel(self):
        return self.create_panel

    def get_form_class(self):
        return self.panel.get_form_class()

    def save_instance(self):
        return self.form.save()

    def get_success_message(self, instance):
        return _(
            "The questionnaire of « %(version)s » is created with the default questions: "
            "review them."
        ) % {"version": instance.iteration.title}

    def get_success_url(self):
        return reverse("follow_up_questionnaires:edit", args=[self.object.pk])


class QuestionnaireEditView(ErrorSummaryMixin, generic.EditView):
    """Once sent, its questions are shown as they were sent, not edited."""

    sent_panel = None

    def get_panel(self):
        questionnaire = get_object_or_404(Questionnaire, pk=self.kwargs.get("pk"))
        if questionnaire.sent_at and self.sent_panel is not None:
            return self.sent_panel
        return super().get_panel()

    def get_form_class(self):
        return self.panel.get_form_class()


def questionnaire_of(iteration_pk: int) -> Questionnaire:
    """The questionnaire of a version, created the first time (from the version's page)."""
    from charte.texts.pages import CharterIterationPage

    iteration = get_object_or_404(CharterIterationPage, pk=iteration_pk)
    return services.questionnaire_for(iteration)


@team_only
def questionnaire_for_version(request, iteration_pk):
    """Open (creating it the first time) the questionnaire of a version."""
    questionnaire = questionnaire_of(iteration_pk)
    return redirect(reverse("follow_up_questionnaires:edit", args=[questionnaire.pk]))
