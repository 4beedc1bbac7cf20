"""The policy's messages, translated once: who may (403), and why not now (409)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Messages: who may (403), and why not now (409).
M_LEADERSHIP = _("Only leadership may do this.")
M_ADMIN = _("Only the organisation's admins may do this.")
M_NOT_MEMBER = _("You are not a member of this organisation.")
M_STRATEGIC = _("Only leadership may change strategic OKRs.")
M_TEAM_OBJECTIVE = _(
    "Only the team, the objective's owner and leadership may change this objective."
)
M_TEAM_KEY_RESULT = _("Only the team, the owners and leadership may change this key result.")
M_CREATE_TEAM = _("Only the team's members and leadership may add objectives to its quarter.")
M_IMPORT_TEAM = _("Only the team's members and leadership may import objectives for this team.")
M_IMPORT_STRATEGIC = _("Only leadership may import strategic objectives.")
M_CHECK_IN = _("Only the owner, the team lead and leadership check in on this key result.")
M_INITIATIVE = _("Only the team, the owners and leadership may change this initiative.")
M_WORKSHOP = _("Only the team's members and leadership may change its workshop.")
M_SUBMIT = _("Only the team lead and leadership submit the team's objectives.")
M_DEPENDENCY = _("Only leadership and the leads of either team may change this.")
M_TOKEN = _("You manage only your own tokens.")
M_CHAT_HOOK = _(
    "Only the organisation's admins and the team's leads manage its chat notifications."
)
M_PERSONAL = _("Only its owner changes a personal OKR; leadership may archive it.")
M_CREATE_PERSONAL = _("You write personal OKRs only under the OKRs of your own teams.")
M_ACTION_DONE = _("Only the action's owner and leadership may mark it done.")
M_COMMENT_EDIT = _("Only the author may change this comment.")
M_COMMENT_DELETE = _("Only the author and the organisation's admins may remove this comment.")
S_COMMENT_REMOVED = _("This comment was removed: it can no longer be changed.")
S_PROPOSED = _(
    "This objective is proposed to leadership and read-only until leadership approves it "
    "or asks for changes."
)
S_APPROVED = _(
    "This objective is approved: now only its owner, the team lead and leadership change it."
)
S_APPROVED_ARCHIVE = _("This objective is approved: only leadership archives it now.")
S_ARCHIVED = _("This objective is archived: it can no longer be changed.")
S_KEY_RESULT_ARCHIVED = _("This key result is archived: it can no longer be changed.")
S_ONLY_TEAM_APPROVED = _("Only team objectives are approved.")
S_NOT_PROPOSED = _("The objective is %(status)s now; reload to see its latest state.")
S_REVIEW_CLOSED = _("This review is closed: its figures and decisions are frozen.")
