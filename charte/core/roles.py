"""The three staff groups, by name: the data migrations create them and grant them their
permissions, the demo puts its accounts in them. What a group may do is decided by the
permissions it holds (see :mod:`charte.core.rules`), never by its name."""

COMMUNICATION_TEAM = "Communication team"
MODERATORS = "Moderators"
COUNCIL_MEMBERS = "Council members"

ROLES = (COMMUNICATION_TEAM, MODERATORS, COUNCIL_MEMBERS)
