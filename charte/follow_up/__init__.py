"""After the vote: the adopted charter's commitments, their indicators, and the evaluation of the
process (DESIGN §2, « Commitment »)."""
