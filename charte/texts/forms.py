from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput


class TitleSlugPageForm(WagtailAdminPageForm):
    """The address (slug) may be left empty: the page makes it from its title when it is saved,
    as the editor's title field already does as one types (when JavaScript runs)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False


class OpenConsultationForm(forms.Form):
    opens_at = forms.DateTimeField(
        label=_("Consultation opens"),
        required=False,
        widget=AdminDateTimeInput,
        help_text=_("Europe/Paris time. Leave empty to open now."),
    )
    closes_at = forms.DateTimeField(
        label=_("Consultation closes"), widget=AdminDateTimeInput, help_text=_("Europe/Paris time.")
    )

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The consultation must close after it opens."))
        return cleaned


class AdoptionForm(forms.Form):
    session_date = forms.DateField(label=_("Council session date"), widget=AdminDateInput)
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
        self.fields["mapping"].choices = list(mappings.items())

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
