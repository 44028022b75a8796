"""Moderation of comments and debate arguments: reports, automatic hiding, the moderators'
decisions and blocks (``services``: one set of rules, :class:`Moderated` says what differs per
kind of contribution), and the moderators' queue in the admin (``views``, ``admin``).
"""
