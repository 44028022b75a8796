"""What the site's editors see of search in the Wagtail admin: a panel on the dashboard when
indexing tasks were given up (the contributions they carried may be missing from search)."""

from wagtail import hooks
from wagtail.admin.ui.components import Component


class DeadLettersPanel(Component):
    name = "search_dead_letters"
    template_name = "search/dead_letters_panel.html"
    order = 50

    def __init__(self, count: int):
        self.count = count

    def get_context_data(self, parent_context):
        return {"count": self.count}


@hooks.register("construct_homepage_panels")
def add_dead_letters_panel(request, panels):
    from .health import dead_letters

    count = dead_letters()
    if count:
        panels.append(DeadLettersPanel(count))
