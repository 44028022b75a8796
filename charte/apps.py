from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharteConfig(AppConfig):
    name = "charte"
    verbose_name = _("Participatory charters")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every permission rule lives in one module; it registers itself with django-rules on
        # import (the rules app's autodiscovery only looks for a top-level ``rules`` module).
        from charte.accounts import audit, second_factor
        from charte.accounts import forms as profile
        from charte.accounts import services as accounts
        from charte.amendments import queries as amendment_queries
        from charte.amendments.services import (
            export_amendments,
            integrate_accepted,
            pending_integration,
            record_lost_integrations,
        )
        from charte.core import identity, kept, logs, rules, tree  # noqa: F401
        from charte.debates import queries as debate_queries
        from charte.debates.services import close_open_debates, export_debates
        from charte.discussions import charter_notifications
        from charte.discussions.services import (
            comment_counts,
            comment_counts_by_origin,
            erase_author_details,
            export_comments,
            export_discussion_activity,
        )
        from charte.follow_up import queries as follow_up_queries
        from charte.moderation.services import export_reports
        from charte.review.services import adoption_create, export_review_notes
        from charte.texts import frozen, reading, translations
        from charte.texts import services as lifecycle
        from charte.texts.pages import territory_options
        from charte.workshops import queries as workshop_queries

        identity.connect_signals(self)  # the sites framework and Wagtail name the site
        logs.connect_signals()  # sign-ins, successful or not, in the logs
        second_factor.connect_signals()  # a new staff account enrols in one go
        audit.connect_signals()  # role and permission changes in the audit log
        accounts.connect_signals()  # a territory added to a list links the profiles typing it
        kept.connect_signals()  # text kept across a sign-in goes to its own account only
        translations.connect_signals()  # a page published from a stale copy counts its children
        frozen.connect_signals()  # a published version's text is rendered before it is read
        tree.connect_signals()  # what is kept of the page tree is read again once it changes
        accounts.CONTRIBUTION_EXPORTERS["comments"] = export_comments
        accounts.CONTRIBUTION_EXPORTERS["amendments"] = export_amendments
        accounts.CONTRIBUTION_EXPORTERS["debates"] = export_debates
        accounts.CONTRIBUTION_EXPORTERS["discussions"] = export_discussion_activity
        accounts.CONTRIBUTION_EXPORTERS["reports"] = export_reports
        accounts.CONTRIBUTION_EXPORTERS["review_notes"] = export_review_notes
        profile.PROFILE_OPTIONS["territories"] = territory_options
        accounts.CONTRIBUTION_EXPORTERS["notifications"] = (
            charter_notifications.export_notification_settings
        )
        if erase_author_details not in accounts.PERSONAL_DATA_ERASERS:
            accounts.PERSONAL_DATA_ERASERS.append(erase_author_details)
        if charter_notifications.erase_follows not in accounts.PERSONAL_DATA_ERASERS:
            accounts.PERSONAL_DATA_ERASERS.append(charter_notifications.erase_follows)
        # The reading of a text shows what the packages above it know (texts never imports them).
        reading.READERS["comment_counts"] = comment_counts
        reading.READERS["comment_counts_by_origin"] = comment_counts_by_origin
        reading.READERS["margin_counts"] = amendment_queries.margin_counts
        reading.READERS["amendment_status_label"] = amendment_queries.status_label
        reading.READERS["commitment_counts"] = follow_up_queries.commitment_counts
        reading.READERS["integrated_amendments"] = amendment_queries.integrated_amendments
        reading.READERS["paragraph_amendments"] = amendment_queries.paragraph_amendments
        reading.READERS["charter_debates"] = debate_queries.charter_debates
        reading.READERS["charter_workshops"] = workshop_queries.charter_workshops
        # The lifecycle of a text integrates amendments and records the adoption (same rule).
        lifecycle.LIFECYCLE["integrate_accepted"] = integrate_accepted
        lifecycle.LIFECYCLE["unanswered_amendments"] = amendment_queries.unanswered_amendments
        lifecycle.LIFECYCLE["adoption_create"] = adoption_create
        lifecycle.LIFECYCLE["pending_integration"] = pending_integration
        lifecycle.LIFECYCLE["record_lost_integrations"] = record_lost_integrations
        # Its followers are told when a version opens, closes or is adopted.
        lifecycle.LIFECYCLE["announce"] = charter_notifications.announce
        # When a consultation closes, its participants are also asked how it went.
        from charte.follow_up import questionnaire

        lifecycle.LIFECYCLE["announce"] = questionnaire.with_questionnaire(
            lifecycle.LIFECYCLE["announce"]
        )
        lifecycle.LIFECYCLE["close_open_debates"] = close_open_debates
