"""Who may do what is part of the audit trail: every change of an account's groups or
administrator flag, and of what a group may do (its permissions, on the site, the pages, the
collections), is written to Wagtail's audit log, with who made it and when, whatever made it
(Wagtail's user and group editors, a group's members list, the shell).

The admin's views run inside Wagtail's log context, which names the person acting; a change
made outside it (a management command, a data migration) is logged with no user: the system.
"""

from __future__ import annotations

import threading

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from wagtail.log_actions import log
from wagtail.models import GroupCollectionPermission, GroupPagePermission

ACTION_ROLES = "charte.roles.change"
ACTION_GROUP_PERMISSIONS = "charte.roles.permissions"

_cleared = threading.local()  # the rows a ``clear()`` is about to remove, per thread


def _permission_name(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def _log_roles(user, *, added=(), removed=(), administrator=None) -> None:
    data = {"added": sorted(added), "removed": sorted(removed)}
    if administrator is not None:
        data["administrator"] = administrator
    log(instance=user, action=ACTION_ROLES, data=data)


def _log_group(group, *, added=(), removed=()) -> None:
    log(
        instance=group,
        action=ACTION_GROUP_PERMISSIONS,
        data={"added": sorted(added), "removed": sorted(removed)},
    )


def _mark_raw(sender, instance, raw=False, **kwargs):
    """An account or a group being loaded as it is (a fixture, a test database restored) is
    not a change made by anyone: its groups and permissions, set right after, are not logged."""
    instance._charte_loaded_raw = raw


def _loaded_raw(instance) -> bool:
    return getattr(instance, "_charte_loaded_raw", False)


def _groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """``user.groups`` changed (or, ``reverse``, a group's members)."""
    if _loaded_raw(instance):
        return
    if action == "pre_clear":
        related = instance.user_set.all() if reverse else instance.groups.all()
        _cleared.groups = list(related)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        related, pk_set = getattr(_cleared, "groups", []), None
        _cleared.groups = []
    else:
        related = list(model.objects.filter(pk__in=pk_set or ()))
    key = "added" if action == "post_add" else "removed"
    if reverse:  # one group, several accounts
        for user in related:
            _log_roles(user, **{key: [instance.name]})
    elif related:
        _log_roles(instance, **{key: [group.name for group in related]})


def _permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """``group.permissions`` changed (from the group's side only: Wagtail's group editor)."""
    if reverse or _loaded_raw(instance):
        return
    if action == "pre_clear":
        _cleared.permissions = [_permission_name(p) for p in instance.permissions.all()]
        return
    if action == "post_clear":
        names, _cleared.permissions = getattr(_cleared, "permissions", []), []
        if names:
            _log_group(instance, removed=names)
        return
    if action in ("post_add", "post_remove") and pk_set:
        names = [
            _permission_name(p)
            for p in Permission.objects.filter(pk__in=pk_set).select_related("content_type")
        ]
        key = "added" if action == "post_add" else "removed"
        _log_group(instance, **{key: names})


def _object_permission_name(row) -> str:
    if isinstance(row, GroupPagePermission):
        return f"page {row.page_id}: {_permission_name(row.permission)}"
    return f"collection {row.collection_id}: {_permission_name(row.permission)}"


def _object_permission_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _log_group(instance.group, added=[_object_permission_name(instance)])


def _object_permission_deleted(sender, instance, **kwargs):
    _log_group(instance.group, removed=[_object_permission_name(instance)])


def _user_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """Remember whether an existing account was an administrator before this save (not asked
    when the save names its fields without this one: a sign-in's ``last_login``)."""
    _mark_raw(sender, instance, raw=raw)
    if raw or instance.pk is None or (update_fields and "is_superuser" not in update_fields):
        instance._was_superuser = None
        return
    instance._was_superuser = (
        sender.objects.filter(pk=instance.pk).values_list("is_superuser", flat=True).first()
    )


def _user_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = None if created else getattr(instance, "_was_superuser", None)
    if (created and instance.is_superuser) or (
        before is not None and before != instance.is_superuser
    ):
        _log_roles(instance, administrator=instance.is_superuser)


def connect_signals():
    user_model = get_user_model()
    uid = "charte.accounts.audit"
    m2m_changed.connect(_groups_changed, sender=user_model.groups.through, dispatch_uid=uid)
    m2m_changed.connect(_permissions_changed, sender=Group.permissions.through, dispatch_uid=uid)
    pre_save.connect(_user_saving, sender=user_model, dispatch_uid=uid)
    pre_save.connect(_mark_raw, sender=Group, dispatch_uid=uid)
    post_save.connect(_user_saved, sender=user_model, dispatch_uid=uid)
    for model in (GroupPagePermission, GroupCollectionPermission):
        post_save.connect(_object_permission_saved, sender=model, dispatch_uid=uid)
        post_delete.connect(_object_permission_deleted, sender=model, dispatch_uid=uid)
