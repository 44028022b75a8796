"""Admin panels of an iteration: where it stands in its lifecycle; the outline of a long text."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from charte.texts import article_editor
from charte.texts.translations import translation_progress


class LifecyclePanel(Panel):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Lifecycle"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "charte/admin/lifecycle_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["page"] = page
            context["saved"] = bool(page.pk)
            if page.pk:
                context["source"] = page.source
                context["state_label"] = page.current_state_label()
                if page.source.pk == page.pk:
                    context["translations"] = translation_progress(page)
            return context


class PhasesPanel(Panel):
    """Above a charter's timeline: where the charter stands from its versions, and a warning
    wherever the phases' dates say otherwise."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Where the charter stands"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "charte/admin/phases_panel.html"

        def get_context_data(self, parent_context=None):
            from charte.texts.phases import standing

            context = super().get_context_data(parent_context)
            page = self.instance
            if page.pk:
                context["standing"] = standing(page.source_iterations())
                context["disagreements"] = page.phase_disagreements()
            return context


class ArticleOutlinePanel(Panel):
    """In place of the body's editor for a long text: its outline, each article linking to
    its own editor (see :mod:`charte.texts.article_editor`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", _("Text, article by article"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "charte/admin/article_outline_panel.html"

        def is_shown(self):
            return (
                self.form is not None
                and "body" not in self.form.fields
                and article_editor.edits_by_article(self.instance)
            )

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            # The edit view's instance is already the page as its latest revision has it.
            raw = self.instance.body.raw_data
            context["page"] = self.instance
            context["sections"] = article_editor.outline(raw)
            context["paragraph_count"] = article_editor.paragraph_count(raw)
            context["frozen"] = self.instance.is_frozen
            return context
