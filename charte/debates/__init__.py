"""Debates: DebatePage (a question with its window and conclusion), arguments for and against
(a discussion target), supports and positions (``models``, ``services``), the debate and
argument pages (``views``) and the arguments' listing in the admin (``admin``).
"""
