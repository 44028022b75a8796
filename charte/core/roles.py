"""The four staff groups, by name: the data migrations create them and grant them their
permissions, the demo puts its accounts in them. What a group may do is decided by the
permissions it holds (see :mod:`charte.core.rules`), never by its name. The names are in
French, the admin's first language, as Wagtail shows them as stored (migration 0019)."""

COMMUNICATION_TEAM = "Équipe communication"
MODERATORS = "Modérateurs"
COUNCIL_MEMBERS = "Membres du conseil"
FACILITATORS = "Animateur·rice"

ROLES = (COMMUNICATION_TEAM, MODERATORS, COUNCIL_MEMBERS, FACILITATORS)
