"""The three staff roles. Groups are created by a data migration; code refers to them here."""

COMMUNICATION_TEAM = "Communication team"
MODERATORS = "Moderators"
COUNCIL_MEMBERS = "Council members"

ROLES = (COMMUNICATION_TEAM, MODERATORS, COUNCIL_MEMBERS)
