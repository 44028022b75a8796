"""The site's identity, one place for every e-mail, page and the admin: its name, its address,
its sender, its postal and contact addresses.

The team edits it in the admin (« Settings › Site identity », ``SiteIdentity``); until they do,
the environment gives it (``SITE_NAME``, ``BASE_URL``, ``DEFAULT_FROM_EMAIL``,
``SITE_POSTAL_ADDRESS``, ``SITE_CONTACT_EMAIL``). django.contrib.sites' ``Site`` (which allauth's
and django-comments-xtd's e-mails name) and Wagtail's own site name follow it: on every change,
after ``migrate`` and when the demo is loaded.

Every page shows the name, so the identity is cached (``CACHE_SECONDS``): the process where the
team saves it forgets it at once, the others (which may each hold their own memory cache when
Redis is not configured) within a minute.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from email.utils import formataddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.functional import SimpleLazyObject

from charte.core.models import SiteIdentity, environment_identity


@dataclass(frozen=True)
class Identity:
    name: str
    base_url: str
    sender_name: str
    sender_email: str
    postal_address: str
    contact_email: str

    @property
    def from_email(self) -> str:
        """« Name <address> », what e-mails come from."""
        return formataddr((self.sender_name, self.sender_email))

    @property
    def domain(self) -> str:
        """The site's host name, with its port when it is not the scheme's default."""
        return urlsplit(self.base_url).netloc or "localhost"

    def absolute(self, path: str) -> str:
        """The absolute address of ``path`` (« /fr/… ») on the site."""
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    @property
    def signature(self) -> str:
        """What ends every plain-text e-mail: who writes (the name, the postal address) and
        where to find the site, after the usual « -- » line that mail readers recognise."""
        lines = [self.name, *self.postal_address.splitlines(), self.base_url.rstrip("/") + "/"]
        return "-- \n" + "\n".join(line.strip() for line in lines if line.strip()) + "\n"


def _from(setting: SiteIdentity | None) -> Identity:
    values = environment_identity()
    if setting is not None:
        values = {field: getattr(setting, field) or values[field] for field in values}
        values["postal_address"] = setting.postal_address
        values["contact_email"] = setting.contact_email
    return Identity(**values)


def _default_site():
    from wagtail.models import Site

    return Site.objects.filter(is_default_site=True).first()


CACHE_SECONDS = 60


def _cache_key(site_pk) -> str:
    return f"charte:identity:{site_pk}"


def current(request=None) -> Identity:
    """The identity of the site ``request`` is on; without a request (e-mails sent by the
    worker, commands), of the default site."""
    from wagtail.models import Site

    if request is None:
        # No query at all once cached: a notification to many followers asks for every link.
        cached = cache.get(_cache_key("default"))
        if cached is not None:
            return Identity(**cached)
        site = _default_site()
    else:
        site = Site.find_for_request(request)
    if site is None:
        return _from(None)
    cached = cache.get(_cache_key(site.pk))
    if cached is not None:
        return Identity(**cached)
    found = _from(SiteIdentity.for_site(site))
    cache.set(_cache_key(site.pk), asdict(found), CACHE_SECONDS)
    if request is None:
        cache.set(_cache_key("default"), asdict(found), CACHE_SECONDS)
    return found


def context(request) -> dict:
    """Context processor: ``site_identity`` in every template (read only when used)."""
    return {"site_identity": SimpleLazyObject(lambda: current(request))}


def absolute(path: str) -> str:
    """The absolute address of ``path`` on the site, for a link in an e-mail."""
    return current().absolute(path)


def from_email() -> str:
    return current().from_email


def identity_set(*, site=None, **values) -> SiteIdentity:
    """Set fields of the identity of ``site`` (the default site when None); everything that
    names the site follows (``sync_sites``)."""
    site = site or _default_site()
    setting = SiteIdentity.for_site(site)
    for field, value in values.items():
        setattr(setting, field, value)
    setting.full_clean(exclude=["site"])
    setting.save()
    return setting


def sync_sites(identity: Identity | None = None) -> None:
    """Give django.contrib.sites' current Site and Wagtail's default site the identity's name
    (and the former its domain), so that allauth's and comments-xtd's e-mails name the site
    rightly. ``save()`` (not ``update()``) empties the sites framework's cache."""
    from django.contrib.sites.models import Site as DjangoSite

    identity = identity or current()
    django_site = DjangoSite.objects.filter(pk=settings.SITE_ID).first()
    if django_site is None:
        django_site = DjangoSite(pk=settings.SITE_ID)
    if (django_site.name, django_site.domain) != (identity.name, identity.domain):
        django_site.name, django_site.domain = identity.name, identity.domain
        django_site.save()
    site = _default_site()
    if site is not None and site.site_name != identity.name:
        site.site_name = identity.name
        site.save(update_fields=["site_name"])


def _identity_saved(sender, instance: SiteIdentity, raw=False, **kwargs) -> None:
    cache.delete_many([_cache_key(instance.site_id), _cache_key("default")])
    if raw:  # loaded from a fixture: the sites are loaded as they were saved
        return
    if instance.site.is_default_site:
        sync_sites(_from(instance))


def _identity_deleted(sender, instance: SiteIdentity, **kwargs) -> None:
    cache.delete_many([_cache_key(instance.site_id), _cache_key("default")])


def _migrated(sender, using="default", **kwargs) -> None:
    from django.db import connections

    if SiteIdentity._meta.db_table in connections[using].introspection.table_names():
        sync_sites()


def connect_signals(app_config) -> None:
    post_save.connect(_identity_saved, sender=SiteIdentity, dispatch_uid="identity-saved")
    post_delete.connect(_identity_deleted, sender=SiteIdentity, dispatch_uid="identity-deleted")
    # Sent for the charte app, the first installed: the sites framework's own handler, which
    # would create « example.com », then finds the Site already there.
    post_migrate.connect(_migrated, sender=app_config, dispatch_uid="identity-migrated")
