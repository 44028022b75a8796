"""The questionnaire of a consultation: sent to its participants when it closes, answered once
per account, anonymously, and counted in the synthesis.

- :func:`on_lifecycle` is called on every event of a version's lifecycle (« closed » included,
  manual or by cron): once the close commits, :func:`invite_participants_task` e-mails the
  participants (:func:`charte.follow_up.evaluation.participant_ids`: active accounts with a
  verified address), in batches of :data:`BATCH`, each in their language, with a signed link
  to the questionnaire. Each account is invited once (a conditional update of its
  :class:`QuestionnaireParticipation`).
- :func:`questionnaire_answer` stores one :class:`QuestionnaireResponse` (no account, no date)
  and marks the participation answered in the same transaction; a second answer is refused.
- :func:`results` counts the answers of each question; free-text answers are for the team only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from charte.core.exceptions import Refused
from charte.core.formatting import format_datetime
from charte.core.targets import page_in_language
from charte.discussions.notifications import absolute, addresses_of
from charte.follow_up.evaluation import bars, participant_ids
from charte.follow_up.models import (
    QuestionKind,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireParticipation,
    QuestionnaireResponse,
)
from charte.follow_up.services import questionnaire_for
from charte.texts.pages import CharterIterationPage

BATCH = 200  # participants invited per task
SALT = "charte.questionnaire"
# A link is never valid longer than this, whatever the deadline the team sets later.
TOKEN_MAX_AGE = 60 * 60 * 24 * 365
TEXT_MAX = 2000
CLOSED = "closed"


class QuestionnaireRefused(Refused):
    """What the questionnaire refuses: ``message`` says why, ``field`` where."""

    status = 400


# -- Invitations -------------------------------------------------------------------------------


def on_lifecycle(event: str, iteration, at=None) -> None:
    """When a consultation closes, invite its participants once the close commits (if its
    questionnaire is enabled: it is created with the default questions otherwise)."""
    if event != CLOSED:
        return
    pk = iteration.pk
    transaction.on_commit(lambda: invite_participants_task.enqueue(pk, 0))


def with_questionnaire(announce):
    """``announce`` (the lifecycle's hook), followed by :func:`on_lifecycle` (once, however
    many times the application is set up)."""
    if getattr(announce, "questionnaire", False):
        return announce

    def announced(event: str, iteration, at=None) -> None:
        announce(event, iteration, at=at)
        on_lifecycle(event, iteration, at=at)

    announced.questionnaire = True
    return announced


def token_for(questionnaire: Questionnaire, user_pk: int) -> str:
    return signing.dumps({"q": questionnaire.pk, "u": user_pk}, salt=SALT, compress=True)


def user_of_token(questionnaire: Questionnaire, token: str) -> int | None:
    """The account a link was sent to, when the link is genuine and for this questionnaire;
    None otherwise (forged, altered, too old or for another questionnaire)."""
    try:
        data = signing.loads(token or "", salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("q") != questionnaire.pk:
        return None
    user = data.get("u")
    return user if isinstance(user, int) else None


@task(backend="durable", queue_name="notifications")
def invite_participants_task(iteration_pk: int, after: int = 0) -> int:
    """One batch of participants (the accounts after ``after``); queues the next batch."""
    sent, last = invite_participants(iteration_pk, after=after)
    if last is not None:
        invite_participants_task.enqueue(iteration_pk, last)
    return sent


def invite_participants(iteration_pk: int, *, after: int = 0, now=None):
    """E-mail up to BATCH participants of the consultation (accounts after ``after``): (the
    number invited, the last account handled when more may follow, else None)."""
    now = now or timezone.now()
    iteration = CharterIterationPage.objects.filter(pk=iteration_pk).first()
    if iteration is None:
        return 0, None
    questionnaire = questionnaire_for(iteration)
    if not questionnaire.is_enabled or not questionnaire.questions.exists():
        return 0, None
    Questionnaire.objects.filter(pk=questionnaire.pk, sent_at__isnull=True).update(sent_at=now)
    questionnaire.refresh_from_db()
    if not questionnaire.is_open(now):
        return 0, None
    candidates = sorted(pk for pk in participant_ids(questionnaire.iteration) if pk > after)
    batch = candidates[:BATCH]
    if not batch:
        return 0, None
    users = list(
        get_user_model()
        .objects.filter(pk__in=batch, is_active=True, deleted_at__isnull=True)
        .order_by("pk")
    )
    addresses = addresses_of(user.pk for user in users)
    users = [user for user in users if user.pk in addresses]
    QuestionnaireParticipation.objects.bulk_create(
        [QuestionnaireParticipation(questionnaire=questionnaire, user=user) for user in users],
        ignore_conflicts=True,
    )
    sent = 0
    for user in users:
        # Claimed first: a batch run twice (a worker stopped mid-way) invites no one twice.
        claimed = QuestionnaireParticipation.objects.filter(
            questionnaire=questionnaire, user=user, invited_at__isnull=True
        ).update(invited_at=now)
        if claimed:
            _invitation(questionnaire, user, addresses[user.pk]).send()
            sent += 1
    return sent, (batch[-1] if len(candidates) > BATCH else None)


def questionnaire_address(questionnaire: Questionnaire, language: str, user_pk: int) -> str:
    page = page_in_language(questionnaire.iteration, language)
    return absolute(
        page.url + page.reverse_subpage("questionnaire") + "?t=" + token_for(questionnaire, user_pk)
    )


def _invitation(questionnaire: Questionnaire, user, address: str) -> EmailMessage:
    language = user.preferred_language
    with translation.override(language):
        version = page_in_language(questionnaire.iteration, language)
        charter = page_in_language(questionnaire.iteration.get_parent().specific, language)
        names = {"version": version.title, "charter": charter.title}
        subject = _("Five minutes to tell us how the consultation on « %(version)s » went") % names
        lines = [
            _(
                "You took part in the consultation on « %(version)s » of « %(charter)s », which "
                "is now closed. Did you feel listened to? A few questions, answered anonymously: "
                "your answers are kept without your name."
            )
            % names,
            "",
            questionnaire.shown_introduction,
            "",
            _("Answer until %(date)s: %(link)s")
            % {
                "date": format_datetime(questionnaire.answer_deadline()),
                "link": questionnaire_address(questionnaire, language, user.pk),
            },
            "",
            _("You receive this e-mail once, because you took part in this consultation."),
        ]
    return EmailMessage(
        subject=subject,
        body="\n".join(line for line in lines if line is not None) + "\n",
        to=[address],
    )


# -- Answers -----------------------------------------------------------------------------------


def questionnaire_answer(*, questionnaire: Questionnaire, user_pk: int, answers: dict) -> None:
    """Store the answers of the account ``user_pk`` (``answers``: question pk → choice number
    or text; empty ones left out) as one anonymous response, once."""
    questions = {question.pk: question for question in questionnaire.questions.all()}
    rows = []
    for pk, value in answers.items():
        question = questions.get(pk)
        if question is None or value in (None, ""):
            continue
        if question.kind == QuestionKind.TEXT:
            text = str(value).strip()[:TEXT_MAX]
            if text:
                rows.append(QuestionnaireAnswer(question=question, text=text))
        else:
            try:
                choice = int(value)
            except (TypeError, ValueError):
                continue
            if choice in dict(question.choices()):
                rows.append(QuestionnaireAnswer(question=question, choice=choice))
    if not rows:
        raise QuestionnaireRefused(_("Answer at least one question."), field="__all__")
    if not questionnaire.is_open():
        raise QuestionnaireRefused(_("This questionnaire is closed: it no longer takes answers."))
    with transaction.atomic():
        claimed = QuestionnaireParticipation.objects.filter(
            questionnaire=questionnaire, user_id=user_pk, answered=False
        ).update(answered=True)
        if not claimed:
            raise QuestionnaireRefused(_("You have already answered, thank you."))
        response = QuestionnaireResponse.objects.create(questionnaire=questionnaire)
        for row in rows:
            row.response = response
        QuestionnaireAnswer.objects.bulk_create(rows)


class AnswersForm(forms.Form):
    """The questions of a questionnaire in the reader's language: radios for the scales and
    yes/no, a text area for free text; each optional, at least one answered."""

    def __init__(self, data=None, *, questions):
        super().__init__(data)
        for question in questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.TEXT:
                self.fields[name] = forms.CharField(
                    label=question.shown_text,
                    required=False,
                    max_length=TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text=_("Optional. Read by the team only, never published."),
                )
            else:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.shown_text,
                    required=False,
                    choices=[(n, label) for n, label in question.choices()],
                    coerce=int,
                    empty_value=None,
                    widget=forms.RadioSelect,
                    help_text=_("Optional."),
                )
            self.fields[name].question = question

    def clean(self):
        data = super().clean()
        if not any(value not in (None, "") for value in data.values()):
            raise forms.ValidationError(_("Answer at least one question."))
        return data

    def answers(self) -> dict:
        return {self.fields[name].question.pk: value for name, value in self.cleaned_data.items()}


# -- Results -----------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: object
    bars: list = field(default_factory=list)  # Bars: answers per choice
    answers: int = 0
    texts: list = field(default_factory=list)  # free text: the team only

    @property
    def key(self) -> str:
        return f"q{self.question.pk}"


@dataclass
class Results:
    questionnaire: Questionnaire | None = None
    invited: int = 0
    respondents: int = 0
    questions: list = field(default_factory=list)  # QuestionResults

    @property
    def respondent_percent(self) -> int | None:
        return round(100 * self.respondents / self.invited) if self.invited else None


def results(source, *, with_texts: bool = False) -> Results:
    """The results of the questionnaire of the consultation ``source``, in five queries at
    most; free-text answers only ``with_texts`` (for the team)."""
    questionnaire = Questionnaire.objects.filter(iteration_id=source.pk).first()
    if questionnaire is None or questionnaire.sent_at is None:
        return Results(questionnaire=questionnaire)
    questions = list(questionnaire.questions.all())
    counts = Counter(
        {
            (question, choice): count
            for question, choice, count in QuestionnaireAnswer.objects.filter(
                response__questionnaire=questionnaire, choice__isnull=False
            )
            .order_by()
            .values("question_id", "choice")
            .annotate(count=Count("pk"))
            .values_list("question_id", "choice", "count")
        }
    )
    texts: dict[int, list] = {}
    text_counts: Counter = Counter()
    text_rows = QuestionnaireAnswer.objects.filter(
        response__questionnaire=questionnaire, choice__isnull=True
    ).exclude(text="")
    if with_texts:
        for question, text in text_rows.order_by("pk").values_list("question_id", "text"):
            texts.setdefault(question, []).append(text)
            text_counts[question] += 1
    invited = QuestionnaireParticipation.objects.filter(
        questionnaire=questionnaire, invited_at__isnull=False
    ).count()
    respondents = QuestionnaireResponse.objects.filter(questionnaire=questionnaire).count()
    shown = []
    for question in questions:
        if question.kind == QuestionKind.TEXT:
            shown.append(
                QuestionResult(
                    question, answers=text_counts[question.pk], texts=texts.get(question.pk, [])
                )
            )
            continue
        values = [(label, counts[(question.pk, n)]) for n, label in question.choices()]
        total = sum(value for _label, value in values)
        shown.append(QuestionResult(question, bars(values, whole=total), total))
    return Results(questionnaire, invited, respondents, shown)
