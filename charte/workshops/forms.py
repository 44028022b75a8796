"""The facilitator's entry form: one note of a workshop at a time, found by its reference.

Field order is the keyboard path of transcribing a pile of sticky notes: the reference typed
(« art. 12 § 3 », « 12.3 », « 12 » or words), Tab, the kind chosen with the arrows, Tab, the
text, Tab, the rationale (amendments), Tab, Enter. The version sits before the reference: it
is chosen once, kept from one note to the next, and skipped by the Tab path."""

from __future__ import annotations

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from charte.amendments.models import AmendmentKind
from charte.texts.finder import find_paragraphs
from charte.texts.pages import CharterIterationPage
from charte.texts.paragraphs import Paragraph

COMMENT = "comment"

#: What a note is: a comment, or one of the amendment kinds.
ENTRY_KINDS = [
    (COMMENT, _("Comment")),
    (AmendmentKind.MODIFY.value, _("Amendment: new wording")),
    (AmendmentKind.INSERT.value, _("Amendment: new paragraph after this one")),
    (AmendmentKind.DELETE.value, _("Amendment: deletion")),
]

#: How many candidates an ambiguous reference lists.
CANDIDATES = 12


def paragraph_reference(paragraph) -> str:
    """« art. 12 § 3 », as facilitators type it."""
    return gettext("art. %(article)s § %(number)s") % {
        "article": paragraph.article_number,
        "number": paragraph.number,
    }


def version_label(iteration) -> str:
    return f"v{iteration.number} – {iteration.title}"


def open_versions(workshop) -> list:
    """The versions of the workshop's charter open for consultation now, in the source
    language (they hold the frozen paragraphs)."""
    return list(
        CharterIterationPage.objects.child_of(workshop.charter)
        .in_source_locale()
        .consulting()
        .order_by("number")
    )


class EntryForm(forms.Form):
    version = forms.TypedChoiceField(
        label=_("Version"),
        coerce=int,
        error_messages={
            "required": _("Choose the version the workshop worked on."),
            "invalid_choice": _("This version is not open for consultation any more."),
        },
    )
    reference = forms.CharField(
        label=_("Paragraph"),
        help_text=_(
            "« art. 12 § 3 », « 12.3 », « 12 » when the article has one paragraph, or words of it."
        ),
        max_length=200,
        error_messages={"required": _("Type the paragraph’s reference, or words of it.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    # Offered only when the reference matches several paragraphs (see _list_candidates).
    paragraph = forms.CharField(
        label=_("Which paragraph?"), required=False, widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(
        label=_("What it is"),
        choices=ENTRY_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a comment or the kind of amendment.")},
    )
    text = forms.CharField(
        label=_("Text"),
        help_text=_("The comment, or the wording proposed (none for a deletion)."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        help_text=_("Amendments only: why the workshop proposes it."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {v.pk: v for v in versions}
        self.fields["version"].choices = [(v.pk, version_label(v)) for v in versions]
        self.candidates: list = []
        self.total = 0
        self.resolved: Paragraph | None = None
        if self.is_bound:
            # Those an ambiguous reference listed: they stay offered whatever else is wrong.
            self._list_candidates()

    def _list_candidates(self):
        version = self.versions.get(_as_int(self.data.get("version")))
        reference = (self.data.get("reference") or "").strip()
        if version is None or not reference:
            return
        paragraphs = Paragraph.objects.filter(iteration=version).only(
            "pk", "article_number", "number", "text", "position", "iteration_id"
        )
        found, total = find_paragraphs(paragraphs.order_by("position"), reference, CANDIDATES)
        self.total = total
        if len(found) == 1:
            self.resolved = found[0]
        self.candidates = found if len(found) > 1 else []
        self.fields["paragraph"].widget.choices = [
            (str(p.pk), f"{paragraph_reference(p)} – {Truncator(p.text).chars(160)}")
            for p in self.candidates
        ]

    def clean_version(self):
        return self.versions[self.cleaned_data["version"]]

    def clean(self):
        data = super().clean()
        if data.get("kind") == COMMENT and not (data.get("text") or "").strip():
            self.add_error("text", _("Write what the workshop said."))
        if "version" not in data or not data.get("reference"):
            return data
        if self.resolved is not None:
            data["paragraph"] = self.resolved
        elif self.candidates:
            chosen = {p.pk: p for p in self.candidates}.get(_as_int(data.get("paragraph")))
            if chosen is None:
                self.add_error(
                    "paragraph",
                    gettext(
                        "%(count)s paragraphs match « %(reference)s »: choose one below, or "
                        "type a more precise reference."
                    )
                    % {"count": self.total, "reference": data["reference"]},
                )
            else:
                data["paragraph"] = chosen
        else:
            self.add_error(
                "reference",
                gettext(
                    "No paragraph of this version matches « %(reference)s »: type « art. 12 "
                    "§ 3 », « 12.3 », or words of the paragraph."
                )
                % {"reference": data["reference"]},
            )
        return data


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
