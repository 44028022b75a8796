"""The team's dashboard on the Wagtail admin's home (the ``construct_homepage_panels`` hook):
what to do today, each line a link to where it is done. Each person sees what they may act on:
amendments to whoever answers them (drafts to whoever validates them), reports and declared
author types and pre-moderation to moderators, the worker's
health to administrators; open consultations and debates to every member of the team.
``charte.wagtail_hooks`` imports it so that Wagtail finds the hook."""

from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from charte.core.rules import (
    can_answer,
    can_confirm_author_type,
    can_facilitate,
    can_manage_follow_up,
    can_validate_answer,
    is_moderator,
)
from charte.dashboard import queries
from charte.workshops.services import workshops_for


class DashboardPanel(Component):
    name = "charte_dashboard"
    template_name = "charte/dashboard/panel.html"
    # Above Wagtail's own panels (« your pages in a workflow », recent edits…, from 210 on).
    order = 10

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        user = self.request.user
        now = timezone.now()
        consultations = queries.open_consultations(now)
        debates = queries.open_debates(now)
        return {
            "now": now,
            "consultations": consultations,
            "debates": debates,
            "closing_soon": queries.closing_soon(consultations + debates, now),
            "amendments": queries.amendments_awaiting(now) if can_answer(user) else None,
            "can_validate": can_validate_answer(user),
            "moderation": queries.moderation_awaiting() if is_moderator(user) else None,
            "declarations": (
                queries.declarations_awaiting() if can_confirm_author_type(user) else None
            ),
            "workshops": (
                queries.workshops_to_follow(workshops_for(user), now)
                if can_facilitate(user)
                else None
            ),
            "commitments": (
                queries.commitments_to_follow(now) if can_manage_follow_up(user) else None
            ),
            "silent_days": queries.SILENT_DAYS,
            "queues": queries.worker_health() if user.is_superuser else None,
            "chart_days": queries.CHART_DAYS,
            "closing_days": queries.CLOSING_SOON_DAYS,
        }


@hooks.register("construct_homepage_panels")
def add_dashboard_panel(request, panels):
    panels.append(DashboardPanel(request))
