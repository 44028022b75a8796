"""Amendments: a citizen's wording for a paragraph (a discussion target), supports, the
team's reasoned answer (``services``), the e-mails it sends (``notifications``), the reads other
packages use (``queries``: margins, unanswered amendments, what a version integrated), the
public pages (``views``) and the team's inbox in the admin (``admin``).
"""
