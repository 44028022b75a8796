"""Models of the charte app, split by concept and re-exported here."""

from .accounts import AuthorType, User
from .adoption import Adoption, AdoptionResult
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
from .debates import (
    ARGUMENT_TEXT_MAX,
    ARGUMENT_TITLE_MAX,
    Argument,
    ArgumentReport,
    ArgumentSupport,
    DebatePage,
    DebatePosition,
    DebatesIndexPage,
    PositionValue,
    Side,
)
from .pages import CharterIterationPage, CharterPage, IterationState
from .paragraphs import Paragraph
from .review import NOTE_MAX_LENGTH, ReviewNote

__all__ = [
    "ARGUMENT_TEXT_MAX",
    "ARGUMENT_TITLE_MAX",
    "Argument",
    "ArgumentReport",
    "ArgumentSupport",
    "DebatePage",
    "DebatePosition",
    "DebatesIndexPage",
    "PositionValue",
    "Side",
    "ANSWERS",
    "Adoption",
    "AdoptionResult",
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
    "NOTE_MAX_LENGTH",
    "ReviewNote",
    "User",
]
