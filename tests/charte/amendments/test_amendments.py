"""Amendments: proposing, correcting, withdrawing, supporting and answering."""

import datetime
import re

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from charte.amendments.services import (
    AmendmentRefused,
    amendment_answer,
    amendment_correct,
    amendment_propose,
    amendment_support,
    amendment_withdraw,
    with_tallies,
)
from charte.core import roles
from charte.core.diff import diff_html, word_diff
from charte.models import Amendment, AmendmentStatus, AmendmentSupport
from tests import factories
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(editor):
    return editor  # the communication team answers


def propose(paragraph, by, **fields):
    fields.setdefault("kind", "modify")
    fields.setdefault("text", "Une nouvelle rédaction de l’alinéa.")
    fields.setdefault("rationale", "Plus clair pour tout le monde.")
    return amendment_propose(paragraph=paragraph, by=by, **fields)


def test_amendments_are_numbered_per_charter(opened, paragraph):
    lea = make_citizen()
    first = propose(paragraph, lea)
    second = propose(paragraph, lea, kind="delete", text="ignored")
    third = propose(paragraph, lea, kind="insert", text="Un alinéa de plus.")
    assert [a.number for a in (first, second, third)] == [1, 2, 3]
    assert second.text == ""  # a deletion proposes no wording
    assert (first.author, first.status, first.charter_id) == (
        lea,
        AmendmentStatus.SUBMITTED,
        opened.get_parent().pk,
    )
    with pytest.raises(IntegrityError):
        Amendment.objects.create(
            paragraph=paragraph,
            iteration=opened,
            charter=first.charter,
            number=1,
            kind="delete",
            rationale="x",
            author=lea,
            created_at=timezone.now(),
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "rewrite"}, "Choisissez ce que fait votre amendement."),
        ({"text": "  "}, "Écrivez la rédaction que vous proposez."),
        ({"kind": "insert", "text": ""}, "Écrivez l’alinéa que vous proposez d’ajouter."),
        ({"rationale": ""}, "Expliquez pourquoi vous proposez cet amendement."),
        (
            {"text": "x" * 3001},
            "La rédaction compte au plus 3000 caractères (la vôtre en compte 3001).",
        ),
    ],
)
def test_incomplete_proposals_are_refused_with_the_reason(opened, paragraph, fields, message):
    with pytest.raises(AmendmentRefused) as refused:
        propose(paragraph, make_citizen(), **fields)
    assert refused.value.message == message
    assert refused.value.status == 400
    assert not Amendment.objects.exists()


def test_the_same_wording_is_not_an_amendment(opened, paragraph):
    with pytest.raises(AmendmentRefused, match="identique"):
        propose(paragraph, make_citizen(), text=f"  {paragraph.text}  ")


def test_same_opening_and_identity_rules_as_comments(opened, paragraph):
    with pytest.raises(AmendmentRefused, match="Confirmez votre adresse"):
        propose(paragraph, make_citizen(verified=False))
    blocked = make_citizen("b", "B")
    blocked.blocked_at = timezone.now()
    blocked.save()
    with pytest.raises(AmendmentRefused, match="bloqué"):
        propose(paragraph, blocked)
    later = opened.closes_at + datetime.timedelta(minutes=1)
    with pytest.raises(AmendmentRefused, match="terminée"):
        propose(paragraph, make_citizen("c", "C"), now=later)
    assert not Amendment.objects.exists()


def test_the_author_corrects_until_someone_supports(opened, paragraph):
    lea, sam = make_citizen(), make_citizen("sam", "Sam")
    amendment = propose(paragraph, lea)
    with pytest.raises(AmendmentRefused, match="Seul son auteur"):
        amendment_correct(amendment=amendment, by=sam, kind="delete", rationale="Non")
    amendment = amendment_correct(
        amendment=amendment, by=lea, kind="modify", text="Mieux dit.", rationale="Relu"
    )
    assert (amendment.text, amendment.rationale, amendment.edited_at is not None) == (
        "Mieux dit.",
        "Relu",
        True,
    )
    amendment_support(amendment=amendment, by=sam, value="agree")
    with pytest.raises(AmendmentRefused, match="ne peut plus être corrigé"):
        amendment_correct(amendment=amendment, by=lea, kind="modify", text="Autre", rationale="R")
    assert Amendment.objects.get().text == "Mieux dit."


def test_supports_one_per_citizen_changeable(opened, paragraph):
    lea, sam, max_ = make_citizen(), make_citizen("sam", "Sam"), make_citizen("max", "Max")
    amendment = propose(paragraph, lea)
    with pytest.raises(AmendmentRefused, match="votre propre amendement"):
        amendment_support(amendment=amendment, by=lea, value="agree")
    amendment_support(amendment=amendment, by=sam, value="agree")
    amendment_support(amendment=amendment, by=sam, value="mixed")
    amendment_support(amendment=amendment, by=max_, value="disagree")
    tallied = with_tallies(Amendment.objects.all()).get()
    assert (tallied.agree, tallied.mixed, tallied.disagree, tallied.supports_total) == (0, 1, 1, 2)
    amendment_support(amendment=amendment, by=max_, value=None)
    assert AmendmentSupport.objects.filter(amendment=amendment).count() == 1
    with pytest.raises(AmendmentRefused):
        amendment_support(amendment=amendment, by=max_, value="love")


def test_withdrawing_only_by_the_author_and_while_unanswered(opened, paragraph, team):
    lea = make_citizen()
    amendment = propose(paragraph, lea)
    with pytest.raises(AmendmentRefused, match="Seul son auteur"):
        amendment_withdraw(amendment=amendment, by=team)
    amendment_withdraw(amendment=amendment, by=lea)
    assert Amendment.objects.get().status == AmendmentStatus.WITHDRAWN
    with pytest.raises(AmendmentRefused, match="retiré par son auteur"):
        amendment_answer(amendment=amendment, status="accepted", response="Oui", by=team)

    answered = propose(paragraph, lea)
    amendment_answer(amendment=answered, status="rejected", response="Hors sujet", by=team)
    with pytest.raises(AmendmentRefused, match="déjà reçu une réponse"):
        amendment_withdraw(amendment=answered, by=lea)


def test_only_the_team_answers_with_reasons_and_everyone_concerned_is_told(
    opened, paragraph, team, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from charte.amendments.notifications import notify_answer

    lea, sam = make_citizen(), make_citizen("sam", "Sam")
    amendment = propose(paragraph, lea)
    amendment_support(amendment=amendment, by=sam, value="agree")
    moderator = factories.UserFactory(username="modo", role=roles.MODERATORS)
    for someone in (lea, sam, moderator):
        with pytest.raises(AmendmentRefused, match="Seule l’équipe de communication"):
            amendment_answer(amendment=amendment, status="accepted", response="Oui", by=someone)
    with pytest.raises(AmendmentRefused, match="Écrivez les raisons"):
        amendment_answer(amendment=amendment, status="accepted", response="  ", by=team)
    with pytest.raises(AmendmentRefused):
        amendment_answer(amendment=amendment, status="withdrawn", response="Non", by=team)

    with django_capture_on_commit_callbacks(execute=True):
        amendment_answer(
            amendment=amendment,
            status="partially_accepted",
            response="Nous retenons la première phrase.",
            by=team,
        )
    amendment.refresh_from_db()
    assert (amendment.status, amendment.answered_by, amendment.answered_at is not None) == (
        "partially_accepted",
        team,
        True,
    )
    assert mail.outbox == []  # the worker sends them
    (task,) = DBTaskResult.objects.filter(task_path__endswith="notify_answer_task")
    assert notify_answer(*task.args_kwargs["args"]) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["lea@example.org", "sam@example.org"]
    message = next(m for m in mail.outbox if m.to == ["lea@example.org"])
    assert message.subject == "Amendement n° 1\u00a0: Accepté en partie"
    assert "Nous retenons la première phrase." in message.body
    assert f"http://testserver{amendment.get_url()}" in message.body


def test_word_diff_on_accents_and_punctuation():
    chunks = word_diff("Les élus consultent les habitants.", "Les élues consultent les habitants ;")
    assert [(c.op, c.text) for c in chunks] == [
        ("equal", "Les "),
        ("delete", "élus"),
        ("insert", "élues"),
        ("equal", " consultent les habitants"),
        ("delete", "."),
        ("insert", " ;"),
    ]
    assert [(c.op, c.text) for c in word_diff("l’élu", "l’élue")] == [
        ("delete", "l’élu"),
        ("insert", "l’élue"),
    ]
    html = diff_html("<b>vieux</b>", "<script>neuf</script>")
    assert set(re.findall(r"</?([a-z]+)", html)) == {"del", "ins", "span"}  # only our tags
    assert '<del><span class="visually-hidden">[texte supprimé\u00a0: </span>vieux' in html
    assert '<ins><span class="visually-hidden">[texte ajouté\u00a0: </span>neuf' in html


def test_my_data_lists_my_amendments_and_positions_and_deletion_keeps_them(
    client, opened, paragraph
):
    import json

    from charte.accounts.services import account_delete

    lea, sam = make_citizen(), make_citizen("sam", "Sam")
    mine = propose(paragraph, lea)
    theirs = propose(paragraph, sam, kind="delete")
    amendment_support(amendment=theirs, by=lea, value="mixed")
    client.force_login(lea)
    data = json.loads(client.get(reverse("account_data")).content)
    exported = data["contributions"]["amendments"]
    assert [a["number"] for a in exported["proposed"]] == [mine.number]
    assert exported["proposed"][0]["text"] == "Une nouvelle rédaction de l’alinéa."
    assert exported["positions"] == [{"amendment": theirs.get_url(), "position": "mixed"}]

    account_delete(user=lea)
    page = client.get(mine.get_url()).content.decode()
    assert "par compte supprimé" in page and "Léa du Port" not in page
