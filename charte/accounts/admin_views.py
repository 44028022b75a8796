"""The team's screen in the Wagtail admin: the author types that speak for an institution,
awaiting confirmation."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from charte.accounts.services import (
    author_type_confirm,
    author_type_refuse,
    awaiting_confirmation,
)
from charte.core.exceptions import Refused
from charte.core.rules import can_confirm_author_type


def author_types(request):
    if not can_confirm_author_type(request.user):
        raise PermissionDenied
    typed = {}
    if request.method == "POST":
        account = get_object_or_404(get_user_model(), pk=request.POST.get("user"))
        reason = request.POST.get("reason", "")
        try:
            if request.POST.get("action") == "confirm":
                author_type_confirm(user=account, by=request.user)
                messages.success(
                    request,
                    _("%(name)s is now shown as %(type)s.")
                    % {"name": account.display_name, "type": account.author_type_label},
                )
            else:
                author_type_refuse(user=account, by=request.user, reason=reason)
                messages.success(
                    request,
                    _("The author type of %(name)s is refused; it stays shown as declared.")
                    % {"name": account.display_name},
                )
            return redirect(reverse("charte_author_types"))
        except Refused as refusal:
            messages.error(request, refusal.message)
            typed = {account.pk: reason}
    accounts = list(awaiting_confirmation()[:200])
    for account in accounts:
        account.typed_reason = typed.get(account.pk, "")
    return TemplateResponse(
        request,
        "charte/admin/author_types.html",
        {
            "accounts": accounts,
            "total": awaiting_confirmation().count(),
            "page_title": _("Author types to confirm"),
            "header_icon": "user",
        },
    )
