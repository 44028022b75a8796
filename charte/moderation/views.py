"""The moderators' queue in the Wagtail admin."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from charte.core.exceptions import Refused
from charte.core.rules import is_moderator
from charte.core.targets import target_models
from charte.debates.models import Argument
from charte.debates.services import argument_hide, argument_queue, argument_restore
from charte.discussions.models import Comment, ModerationDecision
from charte.moderation.services import (
    comment_hide,
    comment_restore,
    moderation_queue,
    user_block,
)


def queue(request):
    if not is_moderator(request.user):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("action") == "unblock":
        account = get_object_or_404(get_user_model(), pk=request.POST.get("user"))
        try:
            user_block(
                user=account, by=request.user, reason=request.POST.get("reason", ""), block=False
            )
            messages.success(request, _("The account can contribute again."))
        except Refused as refusal:
            messages.error(request, refusal.message)
        return redirect(reverse("charte_moderation"))
    if request.method == "POST":
        if request.POST.get("argument"):
            argument = get_object_or_404(Argument, pk=request.POST.get("argument"))
            _decide(request, argument, argument.author, argument_hide, argument_restore, ARGUMENT)
        else:
            comment = get_object_or_404(Comment, pk=request.POST.get("comment"))
            _decide(request, comment, comment.user, comment_hide, comment_restore, COMMENT)
        return redirect(reverse("charte_moderation"))

    items = list(moderation_queue().prefetch_related("reports"))
    targets = {}
    for model in target_models():
        content_type = ContentType.objects.get_for_model(model)
        ids = [int(c.object_pk) for c in items if c.content_type_id == content_type.pk]
        for pk, target in model.objects.in_bulk(ids).items():
            targets[(content_type.pk, pk)] = target
    for item in items:
        target = targets.get((item.content_type_id, int(item.object_pk)))
        item.target = target
        item.target_url = f"{target.get_url()}#c{item.pk}" if target else ""
    return TemplateResponse(
        request,
        "charte/admin/moderation_queue.html",
        {
            "items": items,
            "arguments": list(argument_queue().prefetch_related("reports")),
            "decisions": ModerationDecision.objects.select_related(
                "moderator", "subject"
            ).prefetch_related("item")[:50],
            "blocked": get_user_model()
            .objects.filter(blocked_at__isnull=False)
            .order_by("-blocked_at"),
            "page_title": _("Moderation"),
            "header_icon": "warning",
        },
    )


COMMENT = {
    "hidden": gettext_lazy("The comment is hidden."),
    "shown": gettext_lazy("The comment is shown."),
}
ARGUMENT = {
    "hidden": gettext_lazy("The argument is hidden."),
    "shown": gettext_lazy("The argument is shown."),
}


def _decide(request, obj, author, hide, restore, words):
    """Keep or approve, hide, or block the author of a comment or argument of the queue."""
    action = request.POST.get("action")
    reason = request.POST.get("reason", "")
    name = "comment" if words is COMMENT else "argument"
    try:
        if action == "hide":
            hide(**{name: obj}, by=request.user, reason=reason)
            messages.success(request, words["hidden"])
        elif action == "restore":
            restore(**{name: obj}, by=request.user, reason=reason)
            messages.success(request, words["shown"])
        elif action == "block" and author is not None:
            user_block(user=author, by=request.user, reason=reason)
            messages.success(request, _("The author can no longer contribute."))
        else:
            messages.error(request, _("Unknown action."))
    except Refused as refusal:
        messages.error(request, refusal.message)
