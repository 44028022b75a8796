"""What changed between versions: any two frozen versions compared paragraph by paragraph
through ``derived_from``, and each paragraph's history (``comparison``, ``views``).
"""
