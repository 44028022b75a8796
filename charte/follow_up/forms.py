"""The team's forms of the follow-up, in Wagtail's admin: a commitment (its article chosen
among the adopted version's, grouped by charter: no JavaScript needed), a dated update with its
photos and documents, an indicator with its values, a consultation's questionnaire.

The rules live in :mod:`charte.follow_up.services`: the forms ask them (``commitment_check``)
and show a :class:`~charte.follow_up.services.FollowUpRefused` as errors on the fields at fault,
what was typed kept."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from charte.core.locales import default_locale
from charte.follow_up import services
from charte.follow_up.models import QUESTIONS_MAX, REASONED, Commitment
from charte.texts.pages import CharterIterationPage, CharterPage, IterationState

NO_ADOPTED_CHARTER = _(
    "No charter has an adopted version yet: commitments follow the articles of an adopted "
    "charter. Adopt a version first (its page in the pages tree)."
)


def adopted_charters() -> list[tuple[CharterPage, CharterIterationPage]]:
    """The charters with an adopted version, each with its latest adopted version."""
    adopted = (
        CharterIterationPage.objects.in_source_locale()
        .filter(state=IterationState.ADOPTED)
        .defer("body")
        .order_by("path", "-number")
    )
    latest: dict[str, CharterIterationPage] = {}
    for iteration in adopted:
        parent_path = iteration.path[: -CharterPage.steplen]
        if parent_path not in latest or iteration.number > latest[parent_path].number:
            latest[parent_path] = iteration
    charters = CharterPage.objects.filter(path__in=latest).order_by("path")
    return [(charter, latest[charter.path]) for charter in charters]


def article_label(number: int, title: str) -> str:
    """« Art. 3 – Titre »."""
    label = gettext("Art. %(number)s") % {"number": number}
    return f"{label} – {title}" if title else label


def article_value(charter_pk: int, number: int) -> str:
    return f"{charter_pk}:{number}"


def refusal_to_errors(form: forms.BaseForm, refusal: services.FollowUpRefused, aliases=None):
    """A refusal's problems as errors on the form's fields (the whole form's when the field is
    not one of the form's)."""
    aliases = aliases or {}
    problems = getattr(refusal, "problems", None) or [(refusal.field, refusal.message)]
    for field, message in problems:
        field = aliases.get(field, field)
        form.add_error(field if field in form.fields else None, message)


def _require_captions(formset, message):
    if formset is None:
        return
    for form in [*formset.forms, formset.empty_form]:
        if "caption" in form.fields:
            form.fields["caption"].required = True
            form.fields["caption"].error_messages["required"] = message


class CommitmentForm(WagtailAdminModelForm):
    """A commitment under an article of an adopted version. Its charter is chosen once: its
    number is the charter's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        pairs = [(instance.charter, instance.iteration)] if instance.pk else adopted_charters()
        self.no_adopted_charter = not pairs
        if "charter" in self.fields:
            field = self.fields["charter"]
            field.queryset = CharterPage.objects.filter(pk__in=[c.pk for c, _ in pairs])
            field.error_messages["invalid_choice"] = _("Choose a charter with an adopted version.")
            if instance.pk:
                field.disabled = True
                field.help_text = _("A commitment stays with its charter: it is numbered in it.")
            elif self.no_adopted_charter:
                field.help_text = NO_ADOPTED_CHARTER
        if "article_number" in self.fields:
            choices = [("", "---------")]
            for charter, iteration in pairs:
                articles = services.articles_of(iteration)
                choices.append(
                    (
                        charter.title,
                        [
                            (article_value(charter.pk, number), article_label(number, title))
                            for number, title in articles
                        ],
                    )
                )
            old = self.fields["article_number"]
            self.fields["article_number"] = forms.ChoiceField(
                label=_("Article"),
                choices=choices,
                help_text=old.help_text,
                error_messages={
                    "required": _("Choose the article of the adopted version it carries out."),
                    "invalid_choice": _("Choose one of the adopted version’s articles."),
                },
            )
            if instance.pk:
                self.initial["article_number"] = article_value(
                    instance.charter_id, instance.article_number
                )
        if "status_reason" in self.fields:
            self.fields["status_reason"].widget.attrs["rows"] = 3
        if "status_reason_en" in self.fields:
            self.fields["status_reason_en"].widget.attrs["rows"] = 3

    def clean_article_number(self):
        value = self.cleaned_data["article_number"]
        charter_pk, _sep, number = value.partition(":")
        self.article_charter_pk = int(charter_pk)
        return int(number)

    def clean(self):
        data = super().clean()
        charter = data.get("charter")
        chosen = getattr(self, "article_charter_pk", None)
        if charter is not None and chosen is not None and chosen != charter.pk:
            self.add_error(
                "article_number",
                _("This article is another charter’s: choose one of « %(charter)s ».")
                % {"charter": charter.title},
            )
        starts_on, due_on = data.get("starts_on"), data.get("due_on")
        if starts_on and due_on and due_on < starts_on:
            self.add_error("due_on", _("The due date comes after the start."))
        return data

    def _post_clean(self):
        super()._post_clean()
        if any(name in self.errors for name in ("charter", "article_number", "due_on")):
            return
        if not self.instance.charter_id:
            return
        try:
            services.commitment_check(self.instance)
        except services.FollowUpRefused as refusal:
            refusal_to_errors(self, refusal)


class CommitmentUpdateForm(WagtailAdminModelForm):
    """A dated update of a commitment: what happened, and the status and progress it moves
    the commitment to (the reason goes public when it is postponed or abandoned)."""

    status_reason = forms.CharField(
        label=_("Public reason"),
        help_text=_("Required when it becomes postponed or abandoned: shown to everyone."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        commitment = self.commitment
        if commitment is not None and not self.is_bound:
            self.initial.setdefault("status_reason", commitment.status_reason)
        if "text" in self.fields:
            self.fields["text"].error_messages["required"] = _("Say what happened.")
        _require_captions(
            self.formsets.get("images"),
            _("Describe the photo: its caption is its text alternative."),
        )

    @property
    def commitment(self) -> Commitment | None:
        return self.instance.commitment if self.instance.commitment_id else None

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status in REASONED and not (data.get("status_reason") or "").strip():
            self.add_error("status_reason", _("Say publicly why it is postponed or abandoned."))
        return data


class IndicatorForm(WagtailAdminModelForm):
    """An indicator of a charter, of one of its commitments if it measures one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "charter" in self.fields:
            self.fields["charter"].queryset = CharterPage.objects.filter(
                locale_id=_default_locale_id()
            ).order_by("path")
        if "commitment" in self.fields:
            self.fields["commitment"].queryset = Commitment.objects.select_related(
                "charter"
            ).order_by("charter__path", "number")
            self.fields["commitment"].label_from_instance = lambda c: (
                gettext("%(charter)s – no. %(number)s: %(title)s")
                % {"charter": c.charter.title, "number": c.number, "title": c.title}
            )

    def clean(self):
        data = super().clean()
        charter, commitment = data.get("charter"), data.get("commitment")
        if charter is not None and commitment is not None and commitment.charter_id != charter.pk:
            self.add_error(
                "commitment",
                _("Choose a commitment of this indicator’s charter, or none."),
            )
        return data


def _default_locale_id():

    return default_locale().pk


def version_label(iteration) -> str:
    return f"{iteration.get_parent().title} – v{iteration.number} – {iteration.title}"


class QuestionnaireCreateForm(WagtailAdminModelForm):
    """The consultation a questionnaire is for: it starts with the default questions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "iteration" in self.fields:
            field = self.fields["iteration"]
            field.queryset = (
                CharterIterationPage.objects.in_source_locale()
                .filter(questionnaire__isnull=True)
                .defer("body")
                .order_by("path")
            )
            field.label_from_instance = version_label
            field.error_messages["invalid_choice"] = _(
                "This version has a questionnaire already: open it from the listing."
            )

    def save(self, commit=True):
        return services.questionnaire_for(self.cleaned_data["iteration"])


class QuestionnaireForm(WagtailAdminModelForm):
    """A questionnaire: one to five questions. Once sent, its questions stay as they were (the
    answers were given to them)."""

    def is_valid(self):
        valid = super().is_valid()
        questions = self.formsets.get("questions")
        if questions is None:
            return valid
        kept = [
            form
            for form in questions.forms
            if form.has_changed() or form.instance.pk
            if not (questions.can_delete and form.cleaned_data.get("DELETE"))
        ]
        if len(kept) > QUESTIONS_MAX:
            self.add_error(
                None,
                gettext(
                    "A questionnaire asks %(max)s questions at most, so that people answer it "
                    "(this one has %(count)s): remove the ones that matter least."
                )
                % {"max": QUESTIONS_MAX, "count": len(kept)},
            )
            return False
        if not kept:
            self.add_error(None, gettext("A questionnaire asks at least one question."))
            return False
        return valid
