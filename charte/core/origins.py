"""Where a contribution was made: on the site, in a workshop, in a paper register.

Every place that counts or shows contributions (margins, lists and their filters, synthesis,
search facets, exports, the comparison, the review pack) reads the origin from here, so a new
offline origin is one more value, not one more switch."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Origin(models.TextChoices):
    ONLINE = "online", _("Online")
    WORKSHOP = "workshop", _("Workshop")
    REGISTER = "register", _("Paper register")


#: The origins of what a facilitator enters (a workshop or a register is one of these kinds).
OFFLINE = (Origin.WORKSHOP, Origin.REGISTER)


def origin_of(contribution) -> str:
    """The origin of a comment or an amendment (anything with a nullable ``workshop``)."""
    workshop_id = getattr(contribution, "workshop_id", None)
    return contribution.workshop.kind if workshop_id else Origin.ONLINE
