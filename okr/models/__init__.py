"""The okr app's models, one module per feature; the app label and migrations are unchanged."""

from okr.models.chat import ChatEvent, ChatHook, ChatMessage
from okr.models.conversation import Comment, CommentMention, DigestClaim, Notification
from okr.models.kiosk import BoardLink
from okr.models.objectives import (
    CheckIn,
    Cycle,
    Initiative,
    KeyResult,
    Objective,
    ObjectiveEvent,
    ParkingLotItem,
)
from okr.models.reviews import (
    ReminderClaim,
    RetrospectiveNote,
    Review,
    ReviewEntry,
    ReviewKeyResult,
    ReviewTeam,
    Score,
)

__all__ = [
    "BoardLink",
    "ChatEvent",
    "ChatHook",
    "ChatMessage",
    "CheckIn",
    "Comment",
    "CommentMention",
    "Cycle",
    "DigestClaim",
    "Initiative",
    "KeyResult",
    "Notification",
    "Objective",
    "ObjectiveEvent",
    "ParkingLotItem",
    "ReminderClaim",
    "RetrospectiveNote",
    "Review",
    "ReviewEntry",
    "ReviewKeyResult",
    "ReviewTeam",
    "Score",
]
