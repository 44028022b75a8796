"""The rate-limit counters kept in the database while Redis is down (``charte.core.cache``):
shared by every worker process, as they are in Redis, instead of each process counting its own.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LimitCounter(models.Model):
    """One cache entry of a limit namespace: a whole number in ``count`` (so that it can be
    incremented in one UPDATE), any other value in ``value``. Expired rows are ignored, replaced
    by the next ``add`` and deleted by ``purge_personal_data`` (their keys may hold a client's
    address) and, now and then, on write."""

    key = models.CharField(_("key"), max_length=255, primary_key=True)
    count = models.BigIntegerField(_("count"), null=True)
    value = models.JSONField(_("value"), null=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")
        default_permissions = ()

    def __str__(self):
        return self.key
