"""The okr app's models, one module per feature; the app label and migrations are unchanged."""

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
    "CheckIn",
    "Cycle",
    "Initiative",
    "KeyResult",
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
