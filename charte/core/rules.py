"""Who may do what: every permission of the charte app is declared here (django-rules)."""

import rules


@rules.predicate
def can_publish_page(user, page):
    """Wagtail's own page permissions decide who runs an iteration's lifecycle."""
    if page is None or not user.is_authenticated:
        return False
    return page.permissions_for_user(user).can_publish()


rules.add_perm("charte.manage_iteration", rules.is_authenticated & can_publish_page)


@rules.predicate
def in_communication_team(user):
    from charte.core.roles import COMMUNICATION_TEAM

    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=COMMUNICATION_TEAM).exists()


# The team answers amendments; only the author corrects or withdraws theirs (checked by the
# services against the amendment's author).
rules.add_perm("charte.answer_amendment", in_communication_team)


@rules.predicate
def in_council(user):
    from charte.core.roles import COUNCIL_MEMBERS

    if not user.is_authenticated or not user.is_active:
        return False
    return user.groups.filter(name=COUNCIL_MEMBERS).exists()


# The council's review space and its private notes: the council and the communication team.
rules.add_perm("charte.review_text", in_council | in_communication_team)
