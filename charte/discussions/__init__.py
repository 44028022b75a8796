"""Comments on any discussion target (see :mod:`charte.core.targets`), threads, reactions,
follows, the e-mails to followers (``notifications``), the discussion views shared by every
page that shows a thread, and the read-only JSON API (``api``). Moderation decisions and
reports are stored here too (``models``), since every discussion points at them.
"""
