"""The citizen's own pages: profile, data download, account deletion."""

import json

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from charte.accounts.forms import DeleteAccountForm, NotificationsForm, ProfileForm
from charte.accounts.services import account_delete, account_export


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.apply(request.user)
        request.user.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("account_profile")
    return render(request, "account/profile.html", {"form": form})


@login_required
def download_data(request):
    data = account_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
    return response


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account_delete(user=request.user)
        logout(request)
        messages.success(
            request,
            _("Your account is deleted. What you wrote stays, signed « deleted account »."),
        )
        return redirect("/")
    return render(request, "account/delete.html", {"form": form})


def unfollow(request, token):
    """One-click « stop following » from an e-mail: no sign-in needed, the link is signed."""
    from django.core import signing

    from charte.discussions.notifications import read_unfollow_token
    from charte.discussions.services import follow_stop

    try:
        user_pk, model, pk = read_unfollow_token(token)
    except signing.BadSignature:
        return render(request, "account/unfollow.html", {"invalid": True}, status=400)
    target = model.objects.filter(pk=pk).first()
    if target is not None:
        follow_stop(target=target, by=get_user_model()(pk=user_pk))
    return render(request, "account/unfollow.html", {"target": target})


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _followed_discussions(user) -> list[dict]:
    """The discussions ``user`` follows, each with its title and address (one query per kind
    of discussion)."""
    from charte.core.targets import address_in, target_model
    from charte.discussions.models import ThreadFollow

    follows = list(ThreadFollow.objects.filter(user=user).order_by("-created_at"))
    by_type: dict[int, list[int]] = {}
    for follow in follows:
        by_type.setdefault(follow.content_type_id, []).append(follow.object_id)
    found = {}
    for content_type_id, pks in by_type.items():
        model = target_model(content_type_id)
        if model is None:
            continue
        for target in model.objects.filter(pk__in=pks):
            found[(content_type_id, target.pk)] = target
    language = translation.get_language()
    rows = []
    for follow in follows:
        target = found.get((follow.content_type_id, follow.object_id))
        if target is not None:
            rows.append(
                {
                    "pk": follow.pk,
                    "title": target.discussion_title(),
                    "url": address_in(target, language),
                }
            )
    return rows


def _followed_charters(user) -> list[dict]:
    from charte.core.targets import page_in_language
    from charte.texts.follows import CharterFollow

    language = translation.get_language()
    rows = []
    for follow in CharterFollow.objects.filter(user=user).select_related("charter"):
        page = page_in_language(follow.charter, language)
        rows.append({"pk": follow.pk, "title": page.title, "url": page.url})
    return rows


@login_required
def notifications(request):
    """What someone follows and how often they are e-mailed about it (works without
    JavaScript: each « stop following » is its own small form)."""
    from charte.core.rules import can_answer, is_moderator
    from charte.discussions.models import ThreadFollow
    from charte.texts.follows import CharterFollow

    user = request.user
    team = can_answer(user) or is_moderator(user)
    if request.method == "POST" and "stop_discussion" in request.POST:
        pk = _int(request.POST.get("stop_discussion"))
        if ThreadFollow.objects.filter(user=user, pk=pk).delete()[0]:
            messages.success(request, _("You no longer follow this discussion."))
        return redirect("account_notifications")
    if request.method == "POST" and "stop_charter" in request.POST:
        pk = _int(request.POST.get("stop_charter"))
        if CharterFollow.objects.filter(user=user, pk=pk).delete()[0]:
            messages.success(request, _("You no longer follow this charter."))
        return redirect("account_notifications")
    form = NotificationsForm(request.POST or None, user=user, team=team)
    if request.method == "POST" and form.is_valid():
        user.save(update_fields=form.apply(user))
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("account_notifications")
    return render(
        request,
        "account/notifications.html",
        {
            "form": form,
            "discussions": _followed_discussions(user),
            "charters": _followed_charters(user),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def charter_follow(request, pk):
    """Follow or stop following a charter (POST; the button of the charter's page)."""
    from django.shortcuts import get_object_or_404

    from charte.texts.pages import CharterPage
    from charte.texts.services import charter_follow_start, charter_follow_stop

    charter = get_object_or_404(CharterPage.objects.live().public(), pk=pk)
    if request.method == "POST":
        if request.POST.get("follow") == "stop":
            charter_follow_stop(charter=charter, by=request.user)
            messages.success(request, _("You no longer follow this charter."))
        else:
            charter_follow_start(charter=charter, by=request.user)
            messages.success(
                request,
                _(
                    "You follow this charter: you will get an e-mail when a version opens for "
                    "consultation, when its synthesis is published and when it is adopted."
                ),
            )
    return redirect(charter.url)


def stop_emails(request, token):
    """One-click « no more of these e-mails » from an e-mail: no sign-in needed, the link is
    signed (the daily digest of discussions, the team's digest, the news of a charter)."""
    from django.core import signing

    from charte.core.mail import STOP_CHARTER, STOP_TEAM_DIGEST, STOP_THREADS, read_stop_token
    from charte.texts.follows import CharterFollow

    try:
        user_pk, what = read_stop_token(token)
    except signing.BadSignature:
        return render(request, "account/emails_stopped.html", {"invalid": True}, status=400)
    users = get_user_model().objects.filter(pk=user_pk)
    if what == STOP_THREADS:
        users.update(thread_emails="none")
        done = _("Done: you will no longer receive e-mails about the discussions you follow.")
    elif what == STOP_TEAM_DIGEST:
        users.update(team_digest=False)
        done = _("Done: you will no longer receive the team's daily digest.")
    elif what.startswith(f"{STOP_CHARTER}:") and what.split(":", 1)[1].isdigit():
        CharterFollow.objects.filter(
            user_id=user_pk, charter_id=int(what.split(":", 1)[1])
        ).delete()
        done = _(
            "Done: you no longer follow this charter and will receive no more e-mails about it."
        )
    else:
        return render(request, "account/emails_stopped.html", {"invalid": True}, status=400)
    return render(request, "account/emails_stopped.html", {"done": done})
