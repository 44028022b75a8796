"""The three staff roles. Groups are created by a data migration; code refers to them here."""

COMMUNICATION_TEAM = "Communication team"
MODERATORS = "Moderators"
COUNCIL_MEMBERS = "Council members"

ROLES = (COMMUNICATION_TEAM, MODERATORS, COUNCIL_MEMBERS)


def is_staff_account(user) -> bool:
    """Editors, moderators and council members (and Django staff): they must use 2FA."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    cached = getattr(user, "_charte_staff_role", None)
    if cached is None:
        cached = user.groups.filter(name__in=ROLES).exists()
        user._charte_staff_role = cached
    return cached
