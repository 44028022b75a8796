"""The citizen's own pages: profile, data download, account deletion."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from charte.accounts.forms import DeleteAccountForm, ProfileForm
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

    from charte.amendments.models import Amendment
    from charte.debates.models import Argument
    from charte.discussions.models import ThreadFollow
    from charte.discussions.notifications import read_unfollow_token
    from charte.texts.paragraphs import Paragraph

    try:
        user_pk, kind, pk = read_unfollow_token(token)
    except signing.BadSignature:
        return render(request, "account/unfollow.html", {"invalid": True}, status=400)
    ThreadFollow.objects.filter(user_id=user_pk, **{f"{kind}_id": pk}).delete()
    model = {"paragraph": Paragraph, "amendment": Amendment, "argument": Argument}[kind]
    return render(request, "account/unfollow.html", {"target": model.objects.filter(pk=pk).first()})
