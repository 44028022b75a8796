"""Who may do what with comments and amendments: one table each, every role × every action."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser

from charte.core import roles
from charte.discussions.services import CommentRefused, comment_post
from charte.models import Paragraph
from charte.moderation.services import (
    comment_delete_own,
    comment_hide,
    comment_report,
    comment_restore,
    user_block,
)
from charte.texts import services
from tests import factories

pytestmark = pytest.mark.django_db

ACTIONS = ["post", "reply", "delete_own", "delete_other", "hide", "restore", "report", "block"]

# role: allowed actions. The target is a comment of citizen A (citizen C's for delete_other).
MATRIX = {
    "anonymous": set(),
    "citizen_a": {"post", "reply", "delete_own"},
    "citizen_b": {"post", "reply", "delete_own", "report"},
    "moderator": {"post", "reply", "delete_own", "hide", "restore", "report", "block"},
    "editor": {"post", "reply", "delete_own", "hide", "restore", "report", "block"},
    "council": {"post", "reply", "delete_own", "report"},
}
ROLE_GROUPS = {
    "moderator": roles.MODERATORS,
    "editor": roles.COMMUNICATION_TEAM,
    "council": roles.COUNCIL_MEMBERS,
}


def account(name, group=None):
    user = factories.UserFactory(username=name, pseudonym=name.title(), role=group)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def world(iteration, editor):
    services.iteration_open(iteration=iteration, by=editor)
    paragraph = Paragraph.objects.filter(iteration=iteration).first()
    citizen_a = account("citizen_a")
    return paragraph, citizen_a


def actor_for(role, citizen_a):
    if role == "anonymous":
        return AnonymousUser()
    if role == "citizen_a":
        return citizen_a
    return account(f"actor_{role}", ROLE_GROUPS.get(role))


def attempt(action, actor, paragraph, citizen_a):
    target = comment_post(paragraph=paragraph, by=citizen_a, text="Le commentaire de A")
    if action == "post":
        comment_post(paragraph=paragraph, by=actor, text="Un avis")
    elif action == "reply":
        comment_post(paragraph=paragraph, by=actor, text="Une réponse", parent_id=target.pk)
    elif action == "delete_own":
        own = comment_post(paragraph=paragraph, by=actor, text="À retirer")
        comment_delete_own(comment=own, by=actor)
    elif action == "delete_other":
        others = comment_post(paragraph=paragraph, by=account("citizen_c"), text="De C")
        comment_delete_own(comment=others, by=actor)
    elif action == "hide":
        comment_hide(comment=target, by=actor, reason="Hors charte")
    elif action == "restore":
        comment_restore(comment=target, by=actor)
    elif action == "report":
        comment_report(comment=target, by=actor, reason="insult")
    elif action == "block":
        user_block(user=citizen_a, by=actor, reason="Abus")


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("action", ACTIONS)
def test_permission_matrix(world, role, action):
    paragraph, citizen_a = world
    actor = actor_for(role, citizen_a)
    allowed = action in MATRIX[role]
    if allowed:
        attempt(action, actor, paragraph, citizen_a)
    else:
        with pytest.raises(CommentRefused):
            attempt(action, actor, paragraph, citizen_a)


AMENDMENT_ACTIONS = [
    "propose",
    "support",
    "comment",
    "correct_own",
    "correct_other",
    "withdraw_own",
    "withdraw_other",
    "answer",
]

# role: allowed actions. The target is an amendment of citizen A (citizen C's for *_other).
AMENDMENT_MATRIX = {
    "anonymous": set(),
    "citizen_a": {"propose", "comment", "correct_own", "withdraw_own"},
    "citizen_b": {"propose", "support", "comment", "correct_own", "withdraw_own"},
    "moderator": {"propose", "support", "comment", "correct_own", "withdraw_own"},
    "editor": {"propose", "support", "comment", "correct_own", "withdraw_own", "answer"},
    "council": {"propose", "support", "comment", "correct_own", "withdraw_own"},
}


def attempt_on_amendment(action, actor, paragraph, citizen_a):
    from charte.amendments.services import (
        amendment_answer,
        amendment_correct,
        amendment_propose,
        amendment_support,
        amendment_withdraw,
    )

    def propose(by):
        return amendment_propose(paragraph=paragraph, by=by, kind="delete", rationale="Motif")

    target = propose(citizen_a)
    if action == "propose":
        propose(actor)
    elif action == "support":
        amendment_support(amendment=target, by=actor, value="agree")
    elif action == "comment":
        comment_post(target=target, by=actor, text="Un avis sur l’amendement")
    elif action in ("correct_own", "withdraw_own"):
        own = propose(actor)
        if action == "correct_own":
            amendment_correct(amendment=own, by=actor, kind="insert", text="Ajout", rationale="M")
        else:
            amendment_withdraw(amendment=own, by=actor)
    elif action in ("correct_other", "withdraw_other"):
        others = propose(account("citizen_c"))
        if action == "correct_other":
            amendment_correct(amendment=others, by=actor, kind="insert", text="X", rationale="M")
        else:
            amendment_withdraw(amendment=others, by=actor)
    elif action == "answer":
        amendment_answer(amendment=target, status="rejected", response="Motivé", by=actor)


@pytest.mark.parametrize("role", list(AMENDMENT_MATRIX))
@pytest.mark.parametrize("action", AMENDMENT_ACTIONS)
def test_amendment_permission_matrix(world, role, action):
    paragraph, citizen_a = world
    actor = actor_for(role, citizen_a)
    if action in AMENDMENT_MATRIX[role]:
        attempt_on_amendment(action, actor, paragraph, citizen_a)
    else:
        with pytest.raises(CommentRefused):
            attempt_on_amendment(action, actor, paragraph, citizen_a)


ARGUMENT_ACTIONS = [
    "argue",
    "support",
    "comment",
    "delete_own",
    "delete_other",
    "hide",
    "restore",
    "report",
]

# role: allowed actions. The target is an argument of citizen A (citizen C's for delete_other).
ARGUMENT_MATRIX = {
    "anonymous": set(),
    "citizen_a": {"argue", "comment", "delete_own"},
    "citizen_b": {"argue", "support", "comment", "delete_own", "report"},
    "moderator": {"argue", "support", "comment", "delete_own", "hide", "restore", "report"},
    "editor": {"argue", "support", "comment", "delete_own", "hide", "restore", "report"},
    "council": {"argue", "support", "comment", "delete_own", "report"},
}


def attempt_on_argument(action, actor, debate, citizen_a):
    from charte.debates.services import (
        argument_delete_own,
        argument_hide,
        argument_post,
        argument_report,
        argument_restore,
        argument_support,
    )

    def argue(by):
        return argument_post(debate=debate, by=by, side="for", title="Titre", text="Texte")

    target = argue(citizen_a)
    if action == "argue":
        argue(actor)
    elif action == "support":
        argument_support(argument=target, by=actor)
    elif action == "comment":
        comment_post(target=target, by=actor, text="Un avis sur l’argument")
    elif action == "delete_own":
        argument_delete_own(argument=argue(actor), by=actor)
    elif action == "delete_other":
        argument_delete_own(argument=argue(account("citizen_c")), by=actor)
    elif action == "hide":
        argument_hide(argument=target, by=actor, reason="Hors charte")
    elif action == "restore":
        argument_restore(argument=target, by=actor)
    elif action == "report":
        argument_report(argument=target, by=actor, reason="insult")


@pytest.mark.parametrize("role", list(ARGUMENT_MATRIX))
@pytest.mark.parametrize("action", ARGUMENT_ACTIONS)
def test_argument_permission_matrix(world, charter, editor, role, action):
    _paragraph, citizen_a = world
    debate = factories.make_debate(charter, user=editor)
    actor = actor_for(role, citizen_a)
    if action in ARGUMENT_MATRIX[role]:
        attempt_on_argument(action, actor, debate, citizen_a)
    else:
        with pytest.raises(CommentRefused):
            attempt_on_argument(action, actor, debate, citizen_a)
