"""The demo's content under the names scripts use (``bench/search.py`` reads ``V1`` and ``V2``).

The content itself is in the data files (``data/*.toml``); ``charte.demo.load`` reads and checks
them. Importing this module reads them once.
"""

from charte.demo.load import load

_demo = load()

AUTHORITY = _demo.authority
CHARTER = _demo.charter
V1 = _demo.v1
V2 = _demo.v2
AMENDMENTS_V1 = _demo.amendments_v1
AMENDMENTS_V2 = _demo.amendments_v2
COMMENTS_V1 = _demo.comments_v1
COMMENTS_V2 = _demo.comments_v2
DEBATE = _demo.debate
DEBATE_ARGUMENTS = _demo.debate_arguments
DEBATE_COMMENTS = _demo.debate_comments
DEBATE_POSITIONS = _demo.debate_positions
