"""Reports, automatic hiding, the author's deletion and the moderators' decisions."""

import pytest
from django.test import override_settings

from charte.core import roles
from charte.discussions.services import CommentRefused, comment_post, comments_for
from charte.models import Comment, ModerationAction, ModerationDecision
from charte.moderation.services import (
    comment_delete_own,
    comment_hide,
    comment_report,
    comment_restore,
    moderation_queue,
    user_block,
)
from tests import factories
from tests.charte.discussions.test_comments import make_citizen, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return factories.UserFactory(username="modo", pseudonym="Modo", role=roles.MODERATORS)


@override_settings(COMMENT_AUTO_HIDE_REPORTS=3)
def test_three_distinct_reports_hide_a_comment_until_a_moderator_decides(
    client, opened, paragraph, moderator
):
    comment = comment_post(paragraph=paragraph, by=make_citizen(), text="Propos injurieux")
    reporters = [make_citizen(f"r{n}", f"Lecteur {n}") for n in range(3)]
    comment_report(comment=comment, by=reporters[0], reason="insult")
    with pytest.raises(CommentRefused, match="already|déjà"):
        comment_report(comment=comment, by=reporters[0], reason="insult")
    comment_report(comment=comment, by=reporters[1], reason="insult")
    comment.refresh_from_db()
    assert comment.hidden_at is None
    comment_report(comment=comment, by=reporters[2], reason="spam")
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    assert ModerationDecision.objects.get().action == ModerationAction.AUTO_HIDE
    html = client.get(url(opened, paragraph)).content.decode()
    assert "Propos injurieux" not in html
    assert list(moderation_queue()) == [comment]

    comment_restore(comment=comment, by=moderator, reason="Critique vive mais correcte")
    comment.refresh_from_db()
    assert comment.hidden_at is None and not list(moderation_queue())
    assert "Propos injurieux" in client.get(url(opened, paragraph)).content.decode()


def test_a_moderator_hides_with_a_public_reason_and_replies_stay(
    client, opened, paragraph, moderator
):
    author = make_citizen()
    parent = comment_post(paragraph=paragraph, by=author, text="Message abusif")
    reply = comment_post(
        paragraph=paragraph, by=make_citizen("b", "B"), text="Une réponse", parent_id=parent.pk
    )
    with pytest.raises(CommentRefused):
        comment_hide(comment=parent, by=author, reason="Je me cache")
    with pytest.raises(CommentRefused):
        comment_hide(comment=parent, by=moderator, reason="  ")
    comment_hide(comment=parent, by=moderator, reason="Propos insultants")
    html = client.get(url(opened, paragraph)).content.decode()
    assert "Message abusif" not in html and "Propos insultants" in html
    assert "Une réponse" in html
    decision = ModerationDecision.objects.get(action=ModerationAction.HIDE)
    assert (decision.moderator, decision.reason, decision.item) == (
        moderator,
        "Propos insultants",
        parent,
    )
    assert reply in comments_for(paragraph)


def test_authors_delete_their_own_comment_only(client, opened, paragraph):
    author = make_citizen()
    comment = comment_post(paragraph=paragraph, by=author, text="Je retire ceci")
    reply = comment_post(
        paragraph=paragraph, by=make_citizen("b", "B"), text="Réponse", parent_id=comment.pk
    )
    with pytest.raises(CommentRefused):
        comment_delete_own(comment=comment, by=make_citizen("c", "C"))
    client.force_login(author)
    response = client.post(url(opened, paragraph, f"c/{comment.pk}/delete/"))
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.deleted_at is not None and comment.comment == ""
    html = client.get(url(opened, paragraph)).content.decode()
    assert "Je retire ceci" not in html and "Réponse" in html
    assert ("deleted by its author" in html) or ("supprimé par son auteur" in html)
    assert Comment.objects.filter(pk=reply.pk).exists()


def test_reporting_from_the_page(client, opened, paragraph):
    comment = comment_post(paragraph=paragraph, by=make_citizen(), text="À signaler")
    client.force_login(make_citizen("b", "B"))
    response = client.post(
        url(opened, paragraph, f"c/{comment.pk}/report/"),
        {"reason": "personal_data", "details": "Numéro de téléphone"},
    )
    assert response.status_code == 302
    assert comment.reports.get().details == "Numéro de téléphone"


def test_a_refused_report_comes_back_with_its_details_and_the_reason(client, opened, paragraph):
    comment = comment_post(paragraph=paragraph, by=make_citizen(), text="À signaler")
    client.force_login(make_citizen("b", "B"))
    response = client.post(
        url(opened, paragraph, f"c/{comment.pk}/report/"),
        {"reason": "not-a-reason", "details": "Il cite mon adresse"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="report-error" role="alert">Indiquez pourquoi vous signalez' in html
    assert 'aria-describedby="report-error"' in html
    assert 'value="Il cite mon adresse"' in html
    assert not comment.reports.exists()

    client.post(url(opened, paragraph, f"c/{comment.pk}/report/"), {"reason": "insult"})
    again = client.post(
        url(opened, paragraph, f"c/{comment.pk}/report/"),
        {"reason": "spam", "details": "Deuxième fois"},
    )
    assert again.status_code == 400
    assert "Vous avez déjà signalé ce commentaire." in again.content.decode()
    assert 'value="Deuxième fois"' in again.content.decode()
    assert comment.reports.count() == 1


def test_a_blocked_account_can_no_longer_comment(opened, paragraph, moderator):
    author = make_citizen()
    with pytest.raises(CommentRefused):
        user_block(user=author, by=moderator, reason="")
    user_block(user=author, by=moderator, reason="Insultes répétées")
    author.refresh_from_db()
    with pytest.raises(CommentRefused, match="blocked|bloqué"):
        comment_post(paragraph=paragraph, by=author, text="Encore")
    assert ModerationDecision.objects.get(action=ModerationAction.BLOCK).subject == author


def test_premoderated_charters_publish_after_approval(
    client, charter, opened, paragraph, moderator
):
    charter.premoderation = True
    charter.save_revision().publish()
    comment = comment_post(paragraph=paragraph, by=make_citizen(), text="En attente")
    assert not comment.is_public
    assert "En attente" not in client.get(url(opened, paragraph)).content.decode()
    assert list(moderation_queue()) == [comment]
    comment_restore(comment=comment, by=moderator)
    assert "En attente" in client.get(url(opened, paragraph)).content.decode()
    assert ModerationDecision.objects.get().action == ModerationAction.APPROVE


def test_the_moderation_queue_in_the_admin(client, opened, paragraph, moderator):
    from django.urls import reverse

    comment = comment_post(paragraph=paragraph, by=make_citizen(), text="Texte signalé")
    comment_report(comment=comment, by=make_citizen("b", "B"), reason="insult")
    citizen = make_citizen("c", "C")
    client.force_login(citizen)
    response = client.get(reverse("charte_moderation"))
    assert (response.status_code, response.get("Location")) == (302, "/accounts/profile/")

    client.force_login(moderator)
    html = client.get(reverse("charte_moderation")).content.decode()
    assert "Texte signalé" in html and reverse("charte_moderation") in html
    response = client.post(
        reverse("charte_moderation"),
        {"comment": comment.pk, "action": "hide", "reason": "Injure"},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_reason == "Injure"
    html = client.get(reverse("charte_moderation")).content.decode()
    assert "Texte signalé" not in html.split("decisions-title")[0]
    assert "Injure" in html  # in the decisions


def test_blocked_accounts_are_listed_and_can_be_unblocked(client, moderator):
    from django.urls import reverse

    author = make_citizen()
    user_block(user=author, by=moderator, reason="Insultes")
    client.force_login(moderator)
    assert "Léa du Port" in client.get(reverse("charte_moderation")).content.decode()
    client.post(reverse("charte_moderation"), {"action": "unblock", "user": author.pk})
    author.refresh_from_db()
    assert author.blocked_at is None
    assert ModerationDecision.objects.filter(action=ModerationAction.UNBLOCK).exists()


def deliver_decisions():
    """What the worker does with the queued decision e-mails."""
    from django_tasks_db.models import DBTaskResult

    from charte.discussions.notifications import notify_decision

    for result in DBTaskResult.objects.filter(task_path__endswith="notify_decision_task"):
        notify_decision(*result.args_kwargs["args"])
        result.delete()


def test_the_author_is_told_of_each_decision_with_its_reason(
    opened, paragraph, moderator, django_capture_on_commit_callbacks
):
    from django.core import mail

    author = make_citizen()
    comment = comment_post(paragraph=paragraph, by=author, text="Mon avis un peu vif")
    with django_capture_on_commit_callbacks(execute=True):
        comment_hide(comment=comment, by=moderator, reason="Propos injurieux")
    assert mail.outbox == []  # queued for the worker, not sent by the moderator's request
    deliver_decisions()
    (message,) = mail.outbox
    assert message.to == ["lea@example.org"]
    assert message.subject == "Votre commentaire a été masqué"
    assert "«\u00a0Propos injurieux\u00a0»" in message.body
    assert "Mon avis un peu vif" in message.body  # their text, given back
    assert f"http://testserver{url(opened, paragraph)}#c{comment.pk}" in message.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment_restore(comment=comment, by=moderator, reason="Après relecture")
        user_block(user=author, by=moderator, reason="Insultes répétées")
    deliver_decisions()
    assert [m.subject for m in mail.outbox] == [
        "Votre commentaire est de nouveau visible",
        "Votre compte ne peut plus contribuer",
    ]
    assert "«\u00a0Insultes répétées\u00a0»" in mail.outbox[1].body


def test_decisions_are_written_in_the_authors_language_and_skip_deleted_accounts(
    opened, paragraph, moderator, django_capture_on_commit_callbacks
):
    from django.core import mail

    from charte.accounts.services import account_delete

    sam = make_citizen("sam", "Sam")
    sam.preferred_language = "en"
    sam.save()
    comment = comment_post(paragraph=paragraph, by=sam, text="Too harsh")
    with django_capture_on_commit_callbacks(execute=True):
        comment_hide(comment=comment, by=moderator, reason="Insulting")
    deliver_decisions()
    assert [m.subject for m in mail.outbox] == ["Your comment has been hidden"]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment_restore(comment=comment, by=moderator)
        account_delete(user=sam)
    deliver_decisions()
    assert mail.outbox == []
