"""The public follow-up of an adopted charter (filled in step by step)."""

from django.http import Http404


def _missing(*args, **kwargs):
    raise Http404


follow_up_index = commitment_view = commitment_action = commitment_comment_action = _missing
