"""The charter and its versions: ``pages`` (CharterPage, CharterIterationPage and their
routes), ``paragraphs`` (the frozen Paragraph rows, a discussion target), ``blocks`` and
``outline`` (the body's sections → articles → paragraphs), ``reading`` (what a page shows; reads
of higher packages reach it through its ``READERS`` registry, filled in ``ready()``),
``services`` (the lifecycle: open, close, start the next version, adopt; the steps that belong
to amendments and review come through its ``LIFECYCLE`` registry), ``forms`` and ``panels``, and
the admin (``admin`` for the hooks, ``admin_views`` for the lifecycle screens).
"""
