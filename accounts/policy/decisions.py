"""The policy's answers: a ``Decision``, and the errors it raises (403 and 409)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from accounts.policy.actions import Action

# --- Decisions and errors ------------------------------------------------------------------------


class PolicyError(PermissionDenied):
    """A refusal by the policy: one translated message, the same on every page and in the API."""

    status_code = 403
    code = "forbidden"

    def __init__(self, message="", *, action: Action | None = None, code: str = ""):
        self.message = str(message)
        self.action = action
        self.code = code or type(self).code
        super().__init__(self.message)


class PolicyDenied(PolicyError):
    """The person may never do this to this object (403)."""


class StateConflict(PolicyError):
    """The person may do this, but not while the object is in its current state (409)."""

    status_code = 409
    code = "conflict"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    action: Action
    message: str = ""  # lazily translated; why not (empty when allowed)
    conflict: bool = False  # refused for the object's state, not the person
    reapproval: bool = False  # allowed, but the approved objective goes back to proposed
    code: str = ""  # for the API: "forbidden", or what the state is ("review_closed", ...)

    def __bool__(self) -> bool:
        return self.allowed

    def raise_if_denied(self) -> Decision:
        if not self.allowed:
            error = StateConflict if self.conflict else PolicyDenied
            raise error(self.message, action=self.action, code=self.code)
        return self
