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
