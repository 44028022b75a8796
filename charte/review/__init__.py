"""The council's review: private review notes (``models``), the final text with its provenance
and the amendments still unanswered (``services``), the review space and its pack (``views``),
and the adoption record (``adoption``).
"""
