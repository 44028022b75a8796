"""Models of the charte app, split by concept and re-exported here."""

from charte.accounts.models import AuthorType, User
from charte.amendments.models import (
    ANSWERS,
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    AmendmentSupport,
    AnswerCorrection,
    AnswerState,
    Service,
    SupportValue,
)
from charte.core.models import LimitCounter, SiteIdentity
from charte.debates.models import (
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
from charte.discussions.models import (
    Comment,
    CommentReport,
    ModerationAction,
    ModerationDecision,
    ReportReason,
    ThreadFollow,
)
from charte.publications.models import BuiltDocument
from charte.review.adoption import Adoption, AdoptionResult
from charte.review.models import NOTE_MAX_LENGTH, ReviewNote
from charte.texts.follows import CharterFollow
from charte.texts.pages import (
    CharterIterationPage,
    CharterPage,
    IterationState,
    Territory,
    TerritoryKind,
)
from charte.texts.paragraphs import Paragraph
from charte.workshops.models import Audience, Workshop, WorkshopImage, WorkshopKind

__all__ = [
    "Audience",
    "Workshop",
    "WorkshopImage",
    "WorkshopKind",
    "Territory",
    "TerritoryKind",
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
    "AnswerCorrection",
    "AnswerState",
    "Service",
    "SupportValue",
    "AuthorType",
    "BuiltDocument",
    "LimitCounter",
    "SiteIdentity",
    "Comment",
    "CommentReport",
    "ModerationAction",
    "ModerationDecision",
    "ReportReason",
    "ThreadFollow",
    "CharterFollow",
    "CharterIterationPage",
    "CharterPage",
    "IterationState",
    "Paragraph",
    "NOTE_MAX_LENGTH",
    "ReviewNote",
    "User",
]
