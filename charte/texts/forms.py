from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

from charte.texts import article_editor
from charte.texts.richtext import FEATURES, plain_to_html


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


def paragraph_widget():
    """Wagtail's rich-text editor with the paragraphs' features. Without JavaScript its field
    holds the editor's JSON as it was sent; a field posted empty, or with plain text, is read
    as plain text instead of failing."""
    # Imported here: Wagtail's rich-text module needs the models, and pages import forms.
    from wagtail.admin.rich_text import DraftailRichTextArea

    class ParagraphEditor(DraftailRichTextArea):
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
