"""Models of the charte app, split by concept and re-exported here."""

from .accounts import AuthorType, User
from .adoption import Adoption
from .amendments import (
    ANSWERS,
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    AmendmentSupport,
    SupportValue,
)
from .comments import (
    Comment,
    CommentReport,
    ModerationAction,
    ModerationDecision,
    ReportReason,
    ThreadFollow,
)
from .pages import CharterIterationPage, CharterPage, IterationState
from .paragraphs import Paragraph

__all__ = [
    "ANSWERS",
    "Adoption",
    "Amendment",
    "AmendmentKind",
    "AmendmentStatus",
    "AmendmentSupport",
    "SupportValue",
    "AuthorType",
    "Comment",
    "CommentReport",
    "ModerationAction",
    "ModerationDecision",
    "ReportReason",
    "ThreadFollow",
    "CharterIterationPage",
    "CharterPage",
    "IterationState",
    "Paragraph",
    "User",
]
