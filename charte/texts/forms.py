"""The lifecycle forms: the consultation window and the council's vote.

Their dates come with Wagtail's date pickers, and are also accepted as the team types them by
hand: « 15/01/2027 18:00 », « 15 janvier 2027 18h », « 2027-01-15T18:00 »… in Europe/Paris time.
"""

import datetime
import json
import re

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

from charte.texts import article_editor
from charte.texts.richtext import FEATURES, plain_to_html

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("janvier", "janv", "january", "jan"),
            ("février", "fevrier", "févr", "fevr", "february", "feb"),
            ("mars", "march", "mar"),
            ("avril", "avr", "april", "apr"),
            ("mai", "may"),
            ("juin", "june", "jun"),
            ("juillet", "juil", "july", "jul"),
            ("août", "aout", "august", "aug"),
            ("septembre", "sept", "september", "sep"),
            ("octobre", "oct", "october"),
            ("novembre", "nov", "november"),
            ("décembre", "decembre", "déc", "dec", "december"),
        ],
        start=1,
    )
    for name in names
}
TYPED_DATE = re.compile(
    r"^(?:[a-zéû]+\.?\s+)?(?P<day>\d{1,2})(?:er)?[\s/.-]+(?P<month>\d{1,2}|[a-zéèûô]+)\.?"
    r"[\s/.-]+(?P<year>\d{4})"
    r"(?:\s*(?:à|a|at|,)?\s*(?P<hour>\d{1,2})\s*(?:h|:)\s*(?P<minute>\d{2})?)?$"
)
ISO = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[t\s]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?)?$"
)


def parse_typed_date(value: str):
    """(year, month, day, hour, minute) from a date typed in French or English, or None.
    The hour and minute are None when no time was typed."""
    text = " ".join(value.strip().lower().split())
    match = ISO.match(text) or TYPED_DATE.match(text)
    if match is None:
        return None
    month = match["month"]
    month = int(month) if month.isdigit() else MONTHS.get(month.rstrip("."))
    if month is None:
        return None
    hour = int(match["hour"]) if match["hour"] is not None else None
    minute = int(match["minute"] or 0) if hour is not None else None
    return int(match["year"]), month, int(match["day"]), hour, minute


class TypedDateTimeField(forms.DateTimeField):
    """A date and time in the site's time zone, from the picker or typed by hand."""

    default_error_messages = {
        "invalid": _(
            "Enter a date and a time, for example « 15/01/2027 18:00 » or « 15 janvier 2027 18h »."
        ),
    }

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            parsed = parse_typed_date(value)
            if parsed is None or parsed[3] is None:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
            year, month, day, hour, minute = parsed
            try:
                naive = datetime.datetime(year, month, day, hour, minute)
            except ValueError:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
            return timezone.make_aware(naive)
        return super().to_python(value)


class TypedDateField(forms.DateField):
    default_error_messages = {
        "invalid": _("Enter a date, for example « 15/01/2027 » or « 15 janvier 2027 »."),
    }

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            parsed = parse_typed_date(value)
            if parsed is None:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
            try:
                return datetime.date(*parsed[:3])
            except ValueError:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
        return super().to_python(value)


class TitleSlugPageForm(WagtailAdminPageForm):
    """The address (slug) may be left empty: the page makes it from its title when it is saved,
    as the editor's title field already does as one types (when JavaScript runs)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False


class OpenConsultationForm(forms.Form):
    opens_at = TypedDateTimeField(
        label=_("Consultation opens"),
        required=False,
        widget=AdminDateTimeInput,
        help_text=_(
            "Europe/Paris time, for example « 15/01/2027 18:00 » or « 15 janvier 2027 18h ». "
            "Leave empty to open now."
        ),
    )
    closes_at = TypedDateTimeField(
        label=_("Consultation closes"),
        widget=AdminDateTimeInput,
        help_text=_("Europe/Paris time, for example « 15/03/2027 18:00 » or « 15 mars 2027 18h »."),
    )

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The consultation must close after it opens."))
        return cleaned


class AdoptionForm(forms.Form):
    session_date = TypedDateField(
        label=_("Council session date"),
        widget=AdminDateInput,
        help_text=_("For example « 15/01/2027 » or « 15 janvier 2027 »."),
    )
    deliberation_reference = forms.CharField(
        label=_("Deliberation reference"),
        max_length=100,
        help_text=_("For example « DEL-2027-042 »."),
    )
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0)
    abstentions = forms.IntegerField(label=_("Abstentions"), min_value=0)


class ImportDraftForm(forms.Form):
    """A draft to import: a file or pasted text, and how its headings map to the text."""

    document = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_(
            "Word (.docx), OpenDocument (.odt), Markdown (.md), HTML or plain text; "
            "%(max)s MB at most."
        ),
    )
    pasted = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Pasted from a word processor or a web page; one paragraph a line."),
    )
    mapping = forms.ChoiceField(label=_("Sections and articles"))

    def __init__(self, *args, max_bytes: int, mappings, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.fields["document"].help_text = self.fields["document"].help_text % {
            "max": max_bytes // (1024 * 1024)
        }
        self.fields["mapping"].choices = [("", _("Choose")), *mappings.items()]
        self.fields["mapping"].initial = next(iter(mappings))

    def clean(self):
        cleaned = super().clean()
        document, pasted = cleaned.get("document"), (cleaned.get("pasted") or "").strip()
        if document and pasted:
            raise forms.ValidationError(_("Send a file or paste a text, not both."))
        if not document and not pasted:
            raise forms.ValidationError(_("Choose a file to import, or paste its text."))
        if document and document.size > self.max_bytes:
            raise forms.ValidationError(
                _("This file is too large: %(max)s MB at most.")
                % {"max": self.max_bytes // (1024 * 1024)}
            )
        return cleaned


class IterationPageForm(TitleSlugPageForm):
    """A long text is edited article by article: Wagtail's editor then leaves the body out
    of its form (it neither builds nor posts its thousands of fields), and the page keeps the
    body of its latest revision when the rest is saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "body" in self.fields and article_editor.edits_by_article(self.instance):
            del self.fields["body"]


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Article title"), max_length=200)
    revision = forms.CharField(widget=forms.HiddenInput, required=False)


class NewSectionForm(forms.Form):
    section_title = forms.CharField(label=_("Section title"), max_length=200)


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=200)
    revision = forms.CharField(widget=forms.HiddenInput, required=False)


class ParagraphForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label=_("Paragraph"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget = paragraph_widget()
        # Each editor is named by its own label: « Alinéa 3 », or « Nouvel alinéa » for the
        # empty ones that add a paragraph (the same « Alinéa » twenty times says nothing).
        index = (self.prefix or "").rsplit("-", 1)[-1]
        if self.initial.get("key") and index.isdigit():
            self.fields["text"].label = _("Paragraph %(number)s") % {"number": int(index) + 1}
        else:
            self.fields["text"].label = _("New paragraph")


def paragraph_widget():
    """Wagtail's rich-text editor with the paragraphs' features. Without JavaScript its field
    holds the editor's JSON as it was sent; a field posted empty, or with plain text, is read
    as plain text instead of failing."""
    # Imported here: Wagtail's rich-text module needs the models, and pages import forms.
    from wagtail.admin.rich_text import DraftailRichTextArea

    class ParagraphEditor(DraftailRichTextArea):
        def get_context(self, name, value, attrs):
            # The editor's text box is named by the field's label (Wagtail's label points at
            # the hidden input that holds the editor's JSON, which no one reaches).
            context = super().get_context(name, value, attrs)
            if attrs and attrs.get("id"):
                options = {**self.options, "ariaLabelledBy": f"{attrs['id']}-label"}
                context["widget"]["attrs"]["data-w-init-detail-value"] = json.dumps(
                    options, cls=DjangoJSONEncoder
                )
            return context

        def value_from_datadict(self, data, files, name):
            raw = data.get(name)
            if not (raw or "").strip():
                return ""
            try:
                return super().value_from_datadict(data, files, name)
            except ValueError:
                return plain_to_html(raw)

    return ParagraphEditor(features=FEATURES)


class BaseParagraphFormSet(forms.BaseFormSet):
    def paragraphs(self) -> list:
        """The paragraphs in their new order, without the deleted ones and the empty ones."""
        return [
            article_editor.ParagraphInput(
                key=form.cleaned_data.get("key") or "", html=form.cleaned_data.get("text") or ""
            )
            for form in self.ordered_forms
            if not article_editor.is_blank(form.cleaned_data.get("text"))
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.paragraphs():
            raise forms.ValidationError(_("An article keeps at least one paragraph."))


ParagraphFormSet = forms.formset_factory(
    ParagraphForm,
    formset=BaseParagraphFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=500,
    validate_max=True,
)
