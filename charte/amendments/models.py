"""Amendments: the wording citizens propose for a paragraph, their supports and answers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from charte.core import switches
from charte.core.origins import Origin, origin_of
from charte.core.targets import DiscussionTarget


class AmendmentKind(models.TextChoices):
    MODIFY = "modify", _("New wording")
    INSERT = "insert", _("New paragraph after this one")
    DELETE = "delete", _("Deletion")


class AmendmentStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    PARTIALLY_ACCEPTED = "partially_accepted", _("Partially accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn by its author")


ANSWERS = (
    AmendmentStatus.ACCEPTED,
    AmendmentStatus.PARTIALLY_ACCEPTED,
    AmendmentStatus.REJECTED,
)


class SupportValue(models.TextChoices):
    AGREE = "agree", _("I agree")
    MIXED = "mixed", _("I have reservations")
    DISAGREE = "disagree", _("I disagree")


class AnswerState(models.TextChoices):
    """Where the team's answer stands; only a published answer is an answer (DESIGN §3.7)."""

    NONE = "none", _("No answer")
    DRAFT = "draft", _("Draft awaiting validation")
    PUBLISHED = "published", _("Published")


class Service(models.Model):
    """One of the authority's departments, to which the team assigns amendments."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Amendment(DiscussionTarget, models.Model):
    """A citizen's proposal on one frozen paragraph, numbered within its charter."""

    paragraph = models.ForeignKey(
        "charte.Paragraph",
        on_delete=models.PROTECT,
        related_name="amendments",
        verbose_name=_("paragraph"),
    )
    # The iteration and charter of the paragraph, kept here for lists and numbering.
    iteration = models.ForeignKey(
        "charte.CharterIterationPage",
        on_delete=models.PROTECT,
        related_name="amendments",
        verbose_name=_("iteration"),
    )
    charter = models.ForeignKey(
        "charte.CharterPage",
        on_delete=models.PROTECT,
        related_name="amendments",
        verbose_name=_("charter"),
    )
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=AmendmentKind.choices)
    text = models.TextField(_("proposed wording"), blank=True)
    rationale = models.TextField(_("rationale"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="amendments",
        verbose_name=_("author"),
    )
    language = models.CharField(_("language"), max_length=10, default="fr")
    # Entered by a facilitator from a workshop or a paper register: signed by it (``author``
    # is the facilitator, never shown), and its origin.
    workshop = models.ForeignKey(
        "charte.Workshop",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("workshop or register"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AmendmentStatus.choices,
        default=AmendmentStatus.SUBMITTED,
        db_index=True,
    )
    response = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # A draft answer, not public and not e-mailed until someone allowed to validates it: the
    # published answer is ``status``/``response`` above, and only it.
    draft_status = models.CharField(
        _("draft answer"), max_length=20, choices=AmendmentStatus.choices, blank=True
    )
    draft_response = models.TextField(_("draft reasons"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    drafted_at = models.DateTimeField(_("drafted at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated by"),
    )
    # Who handles it: one of the authority's services and/or a member of the team.
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("service"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_amendments",
        verbose_name=_("assigned to"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed at"))
    edited_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    # Set when the team starts the next iteration with this amendment in it.
    integrated_into = models.ForeignKey(
        "charte.CharterIterationPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="integrated_amendments",
        verbose_name=_("integrated into"),
    )
    integrated_key = models.CharField(
        _("resulting paragraph"),
        max_length=64,
        blank=True,
        help_text=_("The block id of the paragraph that carries this amendment's wording."),
    )
    # Integrated into the draft, whose paragraph was then deleted or merged before it opened:
    # the amendment is not part of the version it was integrated into.
    integration_removed = models.BooleanField(_("integrated, then removed"), default=False)

    discussion_kind = "amendment"
    discussion_related = ("iteration", "paragraph")

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["charter", "number"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "number"], name="amendment_unique_number"),
        ]
        indexes = [models.Index(fields=["iteration", "status"])]
        # Granted to groups in Wagtail's group editor; charte.core.rules reads it.
        permissions = [
            ("answer_amendment", _("Can answer amendments")),
            ("validate_answer", _("Can validate and publish answers to amendments")),
        ]

    def __str__(self):
        return _("Amendment no. %(number)s") % {"number": self.number}

    @property
    def is_answered(self):
        return self.status in ANSWERS

    @property
    def has_draft(self):
        return bool(self.draft_status) and not self.is_answered

    @property
    def answer_state(self):
        if self.is_answered:
            return AnswerState.PUBLISHED
        return AnswerState.DRAFT if self.has_draft else AnswerState.NONE

    def get_answer_state_display(self):
        return AnswerState(self.answer_state).label

    @property
    def origin(self) -> str:
        return origin_of(self)

    def get_origin_display(self) -> str:
        return Origin(self.origin).label

    @property
    def author_name(self):
        if self.workshop_id:
            return self.workshop.signature()
        return self.author.display_name

    @property
    def author_type_label(self):
        """As the public sees it: « (declared, not confirmed) » until the team confirms an
        institutional type. None for what a workshop said: its signature says it."""
        if self.workshop_id:
            return ""
        return self.author.author_type_label

    def get_url(self, iteration_page=None):
        page = iteration_page or self.iteration
        return page.url + page.reverse_subpage("amendment", args=[self.number])

    # -- the discussion-target contract (charte.core.targets) ------------------------------

    def discussion_closed_reason(self, now=None):
        reason = self.iteration.action_closed_reason(switches.COMMENTS, now)
        if reason:
            return reason
        if self.status == AmendmentStatus.WITHDRAWN:
            return gettext("This amendment was withdrawn: its discussion stays readable.")
        return None

    def discussion_title(self):
        return pgettext("what is discussed", "amendment no. %(number)s") % {"number": self.number}

    def discussion_words(self):
        return {
            "empty": gettext("No comment on this amendment yet."),
            "label": gettext("Your comment on this amendment"),
        }

    def discussion_page(self):
        return self.iteration

    def discussion_form_address(self, page, action, comment_id=None):
        if comment_id:
            return page.route_url("amendment_comment", self.number, comment_id, action)
        return page.route_url("amendment_action", self.number, action)

    def discussion_route(self):
        return "amendment", self.number

    def discussion_article(self):
        return self.paragraph.article_number


class AmendmentSupport(models.Model):
    """One citizen's position on one amendment: a single row, changeable."""

    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="amendment_supports"
    )
    value = models.CharField(_("position"), max_length=10, choices=SupportValue.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["amendment", "user"], name="amendment_support_unique"),
        ]

    def __str__(self):
        return f"{self.amendment} – {self.get_value_display()}"


class AnswerCorrection(models.Model):
    """An answer the team corrected: the previous answer as it was published, kept and shown
    publicly beside the new one, with the reason for the correction."""

    amendment = models.ForeignKey(
        Amendment,
        on_delete=models.CASCADE,
        related_name="corrections",
        verbose_name=_("amendment"),
    )
    previous_status = models.CharField(
        _("previous answer"), max_length=20, choices=AmendmentStatus.choices
    )
    previous_response = models.TextField(_("previous reasons"))
    previous_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previously answered by"),
    )
    previous_answered_at = models.DateTimeField(_("previously answered at"), null=True)
    reason = models.TextField(_("reason for the correction"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    corrected_at = models.DateTimeField(_("corrected at"))

    class Meta:
        verbose_name = _("answer correction")
        verbose_name_plural = _("answer corrections")
        ordering = ["amendment", "corrected_at"]

    def __str__(self):
        return f"{self.amendment} – {self.corrected_at:%Y-%m-%d}"
