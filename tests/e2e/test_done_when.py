"""The issue's « done when », end to end on the demo, in a phone-sized browser.

A resident signs up and confirms their e-mail, comments paragraph 3 of the open version from
the iteration page asking to follow the discussion, is e-mailed when someone replies, reports
the abusive reply; a moderator hides it with a reason in the admin; the resident sees the
reason in its place.
"""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import connections

from charte.discussions.services import comment_post
from charte.models import CharterIterationPage, Comment, Paragraph
from tests import factories
from tests.worker import work

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "une phrase de passe solide"


def link_in(message, base):
    link = re.search(r"https?://\S+", message.body).group(0)
    return base + "/" + link.split("/", 3)[3]


def test_a_resident_from_sign_up_to_a_moderated_reply(live_server, page, browser, settings):
    settings.EMAIL_BACKEND = "charte.core.mail.QueuedEmailBackend"
    base = live_server.url
    call_command("seed_demo", verbosity=0)
    v2 = CharterIterationPage.objects.get(
        number=2, locale__language_code="fr", state="consultation"
    )
    third = Paragraph.objects.filter(iteration=v2).order_by("position")[2]
    moderator = get_user_model().objects.get(username="moderateur")
    moderator.set_password(PASSWORD)
    moderator.save()
    TOTP.activate(moderator, factories.TOTP_SECRET)  # the demo's own secret is for development

    # Sign up, then confirm the address from the e-mail.
    page.goto(f"{base}/accounts/signup/")
    page.fill("#id_email", "nadia@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_pseudonym", "Nadia des Près")
    page.select_option("#id_author_type", "resident")
    page.check("#id_accept_rules")
    page.click("main button[type=submit]")
    assert mail.outbox == []  # queued, not sent by the web request
    work()
    (confirmation,) = [m for m in mail.outbox if m.to == ["nadia@example.org"]]
    page.goto(link_in(confirmation, base))
    page.click("main button[type=submit]")
    assert "Nadia des Près" in page.locator(".account-nav").inner_text()

    # Comment paragraph 3 from the iteration page, in place.
    page.goto(base + v2.url)
    page.locator(f'a.charter-paragraph__comments[href^="{v2.url}p/{third.key}/"]').click()
    panel = page.locator("#discussion-panel")
    panel.locator("#comment-new").fill("Des horaires le samedi, s’il vous plaît.")
    # Following is offered, never silent: she ticks it to be told of replies.
    panel.locator("#follow-new").check()
    panel.get_by_role("button", name="Publier mon commentaire").click()
    mine = panel.locator(".comment").filter(has_text="Des horaires le samedi")
    assert "Nadia des Près" in mine.inner_text()

    # Someone replies abusively: Nadia is told by e-mail, with a link to the discussion.
    comment = Comment.objects.get(comment="Des horaires le samedi, s’il vous plaît.")
    jules = get_user_model().objects.get(username="jules")
    reply = comment_post(
        paragraph=third, by=jules, text="Quelle idée stupide.", parent_id=comment.pk
    )
    mail.outbox.clear()
    work()
    (notice,) = [m for m in mail.outbox if m.to == ["nadia@example.org"]]
    assert f"{v2.url}p/{third.key}/" in notice.body

    # Nadia reports it from the panel.
    page.reload()
    page.locator(f'a.charter-paragraph__comments[href^="{v2.url}p/{third.key}/"]').click()
    abusive = panel.locator(f"#c{reply.pk}")
    abusive.get_by_role("link", name="Signaler").click()
    panel.locator(f"#reason-{reply.pk}").wait_for()
    assert page.evaluate("document.activeElement.id") == f"reason-{reply.pk}"
    panel.locator(f"#reason-{reply.pk}").select_option("insult")
    panel.get_by_role("button", name="Envoyer le signalement").click()
    assert "les modérateurs" in panel.locator(".messages").inner_text()

    # The moderator hides it with a reason, from the admin's queue.
    staff = browser.new_context()
    admin = staff.new_page()
    admin.goto(f"{base}/admin/charte/moderation/")
    admin.fill("#id_login", moderator.email)
    admin.fill("#id_password", PASSWORD)
    admin.click("main button[type=submit]")
    admin.fill("#id_code", factories.totp_code())
    admin.click("main button[type=submit]")
    admin.wait_for_url(f"{base}/admin/charte/moderation/")
    admin.fill(f"#comment-reason-{reply.pk}", "Propos insultants")
    admin.locator(f'form:has(#comment-reason-{reply.pk}) button[value="hide"]').click()
    admin.wait_for_load_state()
    staff.close()

    page.goto(f"{base}{v2.url}p/{third.key}/")
    placeholder = page.locator(f"#c{reply.pk}").inner_text()
    assert "Propos insultants" in placeholder and "stupide" not in placeholder
    connections.close_all()
