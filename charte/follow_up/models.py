"""After the vote: what the authority commits to under each article of the adopted charter,
how far it got, and how the process itself went.

- :class:`Commitment` – one engagement under an article of the adopted version: service,
  dates, status (with a public reason when postponed or abandoned), progress, and its dated
  :class:`CommitmentUpdate` s (text, photos, documents). Residents follow and discuss it: it is
  a discussion target like a paragraph or an amendment.
- :class:`Indicator` – a measure with a target and values over time (« conseils de quartier
  réunis par an »), of a commitment or of the whole charter.
- :class:`Questionnaire` – the short questionnaire sent to the participants of a consultation
  when it closes; a :class:`QuestionnaireResponse` holds one set of anonymous answers (no
  account, no date: a random key), a :class:`QuestionnaireParticipation` only records that an
  account answered, so that each answers once.

Titles, descriptions and updates are written in French; their English wording is optional
(``*_en``) and shown on the English pages when given.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from charte.core.targets import DiscussionTarget

TITLE_MAX = 255
QUESTIONS_MAX = 5


def in_language(french: str, english: str) -> str:
    """The English wording on English pages when it was given, else the French one."""
    if english and translation.get_language() == "en":
        return english
    return french


def shown_language(english: str) -> str:
    """The language a text chosen by :func:`in_language` is written in (for ``lang``)."""
    return "en" if english and translation.get_language() == "en" else "fr"


class CommitmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    POSTPONED = "postponed", _("Postponed")
    ABANDONED = "abandoned", _("Abandoned")


#: The statuses that owe the public a reason.
REASONED = (CommitmentStatus.POSTPONED, CommitmentStatus.ABANDONED)


class CommitmentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def of_charter(self, charter):
        """The commitments of ``charter`` (its page in any language)."""
        return self.filter(charter__translation_key=charter.translation_key)


class Commitment(DiscussionTarget, models.Model):
    """What the authority commits to under one article of the adopted version of a charter."""

    charter = models.ForeignKey(
        "charte.CharterPage",
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("charter"),
    )
    iteration = models.ForeignKey(
        "charte.CharterIterationPage",
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("adopted version"),
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    article_number = models.PositiveIntegerField(
        _("article"), help_text=_("The article of the adopted version it carries out.")
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    title_en = models.CharField(_("title in English"), max_length=TITLE_MAX, blank=True)
    description = models.TextField(_("description"))
    description_en = models.TextField(_("description in English"), blank=True)
    service = models.ForeignKey(
        "charte.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("service responsible"),
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.PLANNED,
    )
    status_reason = models.TextField(
        _("public reason"),
        blank=True,
        help_text=_("Required when it is postponed or abandoned: shown to everyone."),
    )
    status_reason_en = models.TextField(_("public reason in English"), blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Residents see it, follow it and comment it once it is published."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CommitmentQuerySet.as_manager()

    discussion_kind = "commitment"
    discussion_related = ("charter", "iteration")
    discussion_stays_open = True

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["charter", "article_number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "number"], name="commitment_number"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="progress_100"),
        ]
        indexes = [models.Index(fields=["charter", "status"], name="commitment_status")]

    def __str__(self):
        return gettext("Commitment no. %(number)s: %(title)s") % {
            "number": self.number,
            "title": self.shown_title,
        }

    @property
    def shown_title(self) -> str:
        return in_language(self.title, self.title_en)

    @property
    def shown_description(self) -> str:
        return in_language(self.description, self.description_en)

    @property
    def shown_reason(self) -> str:
        return in_language(self.status_reason, self.status_reason_en)

    @property
    def title_language(self) -> str:
        return shown_language(self.title_en)

    @property
    def description_language(self) -> str:
        return shown_language(self.description_en)

    @property
    def reason_language(self) -> str:
        return shown_language(self.status_reason_en)

    def is_late(self, today=None) -> bool:
        """Due, and neither done nor abandoned."""
        today = today or timezone.localdate()
        return bool(
            self.due_on
            and self.due_on < today
            and self.status not in (CommitmentStatus.DONE, CommitmentStatus.ABANDONED)
        )

    def get_url(self, page=None, request=None) -> str:
        """Its public address on ``page`` (its charter, or one of the charter's translations)."""
        page = page or self.charter.specific
        return page.route_url("commitment", self.number, request=request)

    # -- the discussion-target contract (charte.core.targets) ------------------------------

    def discussion_closed_reason(self, now=None):
        if not self.is_published:
            return gettext("This commitment is not published.")
        if not self.charter.live:
            return gettext("This charter is not public.")
        return None

    def discussion_charter(self):
        return self.charter.specific

    def discussion_title(self):
        return pgettext("what is discussed", "the commitment « %(title)s »") % {
            "title": self.shown_title
        }

    def discussion_words(self):
        return {
            "empty": gettext("No comment on this commitment yet."),
            "label": gettext("Your comment on this commitment"),
        }

    def discussion_page(self):
        return self.charter.specific

    def discussion_address(self, page=None) -> str:
        return self.get_url(page)

    def discussion_form_address(self, page, action, comment_id=None):
        if comment_id:
            return page.route_url("commitment_comment", self.number, comment_id, action)
        return page.route_url("commitment_action", self.number, action)

    def discussion_route(self):
        return "commitment", self.number

    def discussion_shown(self):
        return self.is_published

    def discussion_article(self):
        return self.article_number


class CommitmentUpdate(ClusterableModel):
    """A dated step of a commitment, told to its followers when it is published."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="updates", verbose_name=_("commitment")
    )
    published_on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("what happened"))
    text_en = models.TextField(_("what happened, in English"), blank=True)
    status = models.CharField(
        _("new status"),
        max_length=20,
        choices=CommitmentStatus.choices,
        blank=True,
        help_text=_("Leave empty to keep the commitment’s status."),
    )
    progress = models.PositiveSmallIntegerField(
        _("new progress (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Leave empty to keep the commitment’s progress."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    #: When its followers were told (once: editing a published update tells nobody again).
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["commitment", "published_on"], name="update_date")]

    def __str__(self):
        from charte.core.formatting import format_date

        return gettext("Update of %(date)s") % {"date": format_date(self.published_on)}

    @property
    def shown_text(self) -> str:
        return in_language(self.text, self.text_en)

    @property
    def text_language(self) -> str:
        return shown_language(self.text_en)


class CommitmentUpdateImage(Orderable):
    update = ParentalKey(CommitmentUpdate, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("image")
    )
    caption = models.CharField(
        _("caption"),
        max_length=300,
        help_text=_("What it shows, for those who cannot see it (its text alternative)."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class CommitmentUpdateDocument(Orderable):
    update = ParentalKey(CommitmentUpdate, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("document"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class Indicator(ClusterableModel):
    """A measure of what the charter changes, with a target and its values over time."""

    charter = models.ForeignKey(
        "charte.CharterPage",
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("charter"),
    )
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("commitment"),
        help_text=_("The commitment it measures, if one."),
    )
    title = models.CharField(
        _("title"),
        max_length=TITLE_MAX,
        help_text=_("« Nombre de conseils de quartier réunis par an »"),
    )
    title_en = models.CharField(_("title in English"), max_length=TITLE_MAX, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    unit_en = models.CharField(_("unit in English"), max_length=60, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["charter", "pk"]

    def __str__(self):
        return self.shown_title

    @property
    def shown_title(self) -> str:
        return in_language(self.title, self.title_en)

    @property
    def title_language(self) -> str:
        return shown_language(self.title_en)

    @property
    def shown_unit(self) -> str:
        return in_language(self.unit, self.unit_en)


class IndicatorValue(Orderable):
    indicator = ParentalKey(Indicator, on_delete=models.CASCADE, related_name="values")
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("value")
        verbose_name_plural = _("values")
        ordering = ["measured_on"]


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("From « not at all » to « completely »")
    YES_NO = "yes_no", _("Yes or no")
    TEXT = "text", _("Free text (read by the team only)")


#: The answers of a scale question, from the worst to the best.
SCALE = (
    (1, _("Not at all")),
    (2, _("Rather not")),
    (3, _("Rather yes")),
    (4, _("Completely")),
)
YES_NO = ((1, _("No")), (2, _("Yes")))


#: The questions a consultation's questionnaire starts with (the team may change them):
#: (French, English, kind).
DEFAULT_QUESTIONS = (
    ("Vous êtes-vous senti·e écouté·e\u202f?", "Did you feel listened to?", QuestionKind.SCALE),
    (
        "La réponse à votre amendement était-elle claire\u202f?",
        "Was the answer to your amendment clear?",
        QuestionKind.SCALE,
    ),
    (
        "Avez-vous compris ce que sont devenues vos contributions\u202f?",
        "Did you understand what became of your contributions?",
        QuestionKind.SCALE,
    ),
    (
        "Participeriez-vous à une prochaine concertation\u202f?",
        "Would you take part again?",
        QuestionKind.YES_NO,
    ),
    ("Un mot pour l’équipe\u202f?", "A word for the team?", QuestionKind.TEXT),
)


class Questionnaire(ClusterableModel):
    """The questionnaire of one consultation (a version), sent to its participants when it
    closes."""

    iteration = models.OneToOneField(
        "charte.CharterIterationPage",
        on_delete=models.CASCADE,
        related_name="questionnaire",
        verbose_name=_("version"),
    )
    is_enabled = models.BooleanField(
        _("send it when the consultation closes"),
        default=True,
    )
    introduction = models.TextField(_("introduction"), blank=True)
    introduction_en = models.TextField(_("introduction in English"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    closes_at = models.DateTimeField(
        _("answers accepted until"),
        null=True,
        blank=True,
        help_text=_("Empty: six weeks after it is sent."),
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return gettext("Questionnaire of « %(version)s »") % {"version": self.iteration.title}

    @property
    def shown_introduction(self) -> str:
        return in_language(self.introduction, self.introduction_en)

    def answer_deadline(self):
        if self.closes_at:
            return self.closes_at
        if self.sent_at:
            return self.sent_at + timezone.timedelta(weeks=6)
        return None

    def is_open(self, now=None) -> bool:
        deadline = self.answer_deadline()
        return bool(self.sent_at) and (deadline is None or (now or timezone.now()) < deadline)


class Question(Orderable):
    questionnaire = ParentalKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    text_en = models.CharField(_("question in English"), max_length=300, blank=True)
    kind = models.CharField(
        _("answers"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SCALE
    )

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.shown_text

    @property
    def shown_text(self) -> str:
        return in_language(self.text, self.text_en)

    @property
    def text_language(self) -> str:
        return shown_language(self.text_en)

    def choices(self):
        if self.kind == QuestionKind.SCALE:
            return SCALE
        if self.kind == QuestionKind.YES_NO:
            return YES_NO
        return ()


class QuestionnaireParticipation(models.Model):
    """That an account answered (or was invited): never which answers are theirs."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(null=True, blank=True)
    answered = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "user"], name="questionnaire_one_per_account"
            )
        ]

    def __str__(self):
        return f"{self.questionnaire_id}:{self.user_id}"


class QuestionnaireResponse(models.Model):
    """One set of anonymous answers: a random key, no account, no date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses"
    )

    def __str__(self):
        return str(self.pk)


class QuestionnaireAnswer(models.Model):
    response = models.ForeignKey(
        QuestionnaireResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self):
        return f"{self.question_id}: {self.choice or self.text[:40]}"
