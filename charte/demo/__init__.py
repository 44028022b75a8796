"""The demo: its content as TOML data files (``data/``), read and checked by ``load`` and
written by ``seed`` (the ``seed_demo`` command calls it). It stands above every other package.
"""
