"""Admin panel that tells editors where an iteration stands in its lifecycle."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

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
