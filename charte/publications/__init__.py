"""What a charter publishes from its data: the synthesis of a closed consultation and the open
data (``synthesis``), the documents of a version and the council's review pack (``documents``),
their PDF and OpenDocument renderings (``renderers``), and the views that serve them.
"""
