"""The one module Wagtail discovers for the charte app: it imports each package's admin module,
where that concept's hooks live (core: the permissions groups are granted; texts: lifecycle
actions and the tree's safety rules; moderation: the queue and its menu item; amendments: the
inbox; debates: the arguments; workshops: workshops, registers and the facilitators' entry
screen; dashboard: the team's panel on the admin's home).

The order of the imports is the order of registration (admin URLs, viewsets): keep it.
"""

# isort: off
from charte.core import admin as core_admin  # noqa: F401
from charte.accounts import admin as accounts_admin  # noqa: F401
from charte.texts import admin as texts_admin  # noqa: F401
from charte.moderation import admin as moderation_admin  # noqa: F401
from charte.amendments import admin as amendments_admin  # noqa: F401
from charte.debates import admin as debates_admin  # noqa: F401
from charte.workshops import admin as workshops_admin  # noqa: F401
from charte.follow_up import admin as follow_up_admin  # noqa: F401
from charte.dashboard import admin as dashboard_admin  # noqa: F401
# isort: on
