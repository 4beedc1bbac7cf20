"""The actions the policy decides, by name: what pages, the API, services and jobs ask about."""

from __future__ import annotations

import enum


class Action(enum.StrEnum):
    # Objectives and key results. ``obj``: the objective or key result; for
    # creating an objective the team (``None``: a strategic objective); for
    # creating a key result its objective.
    OBJECTIVE_CREATE = "objective.create"
    OBJECTIVE_EDIT = "objective.edit"
    OBJECTIVE_CHANGE_PARENT = "objective.change_parent"
    OBJECTIVE_REORDER = "objective.reorder"
    OBJECTIVE_ARCHIVE = "objective.archive"
    KEY_RESULT_CREATE = "key_result.create"
    KEY_RESULT_EDIT = "key_result.edit"
    KEY_RESULT_CHANGE_TARGET = "key_result.change_target"
    KEY_RESULT_CHANGE_KIND = "key_result.change_kind"
    KEY_RESULT_CHANGE_DIRECTION = "key_result.change_direction"
    KEY_RESULT_CHANGE_COMMITMENT = "key_result.change_commitment"
    KEY_RESULT_CHANGE_WEIGHT = "key_result.change_weight"
    KEY_RESULT_REORDER = "key_result.reorder"
    KEY_RESULT_ARCHIVE = "key_result.archive"
    KEY_RESULT_SET_STEPS = "key_result.set_steps"
    CHECK_IN = "key_result.check_in"
    INITIATIVE_CREATE = "initiative.create"  # obj: the key result
    INITIATIVE_EDIT = "initiative.edit"
    # The workshop and the approval queue. ``obj``: the team, or the objective.
    WORKSHOP_PARK = "workshop.park"
    OBJECTIVES_SUBMIT = "objective.submit"
    OBJECTIVE_APPROVE = "objective.approve"
    OBJECTIVE_REQUEST_CHANGES = "objective.request_changes"
    OBJECTIVES_APPROVE_TEAM = "objective.approve_team"
    # Alignment.
    DEPENDENCY_CREATE = "dependency.create"
    DEPENDENCY_MANAGE = "dependency.manage"
    # Reviews. ``obj``: the review (none to start one).
    REVIEW_START = "review.start"
    REVIEW_MOVE = "review.move"
    REVIEW_NOTE = "review.note"
    REVIEW_CLOSE = "review.close"
    # ``obj``: the decision (a ``ReviewEntry`` with an owner); open or closed review alike.
    REVIEW_ACTION_DONE = "review.action_done"
    # Closing a quarter. ``obj``: the cycle, score or objective.
    QUARTER_CLOSE = "quarter.close"
    SCORE_OVERRIDE = "score.override"
    RETROSPECTIVE_ADD = "retrospective.add"
    CARRY_OVER = "objective.carry_over"
    EXPORT = "organisation.export"
    # Importing OKRs from a spreadsheet (okr/imports). ``obj``: the team whose rows are
    # imported (``None``: strategic rows): leadership everything, a team its own rows.
    OKR_IMPORT = "okr.import"
    # The year-end review and next year (okr/years). ``obj``: none.
    YEAR_START_NEXT = "year.start_next"  # draft next year's strategic OKRs
    YEAR_CARRY_ON = "year.carry_on"  # carry a strategic objective on into next year
    YEAR_PUBLISH = "year.publish"  # publish next year's drafts
    # Personal OKRs (okr/personal, the organisation's pilot). ``obj``: the team whose
    # objective or key result the new personal objective sits under. Changing one is the
    # objective and key result actions above, decided for the "personal" level.
    PERSONAL_OKR_CREATE = "personal.create"
    # The organisation. ``obj`` for tokens: the token (none to make one).
    SETTINGS_EDIT = "organisation.settings"
    TEAMS_MANAGE = "organisation.teams"
    MEMBERS_MANAGE = "organisation.members"
    INVITE = "organisation.invite"
    TOKENS_MANAGE = "tokens.manage"
    # Single sign-on (accounts/sso): the provider, its domains, "require SSO". ``obj``: none.
    SSO_MANAGE = "organisation.sso"
    # The audit log (accounts/audit): read and download it; nobody changes it. ``obj``: none.
    AUDIT_READ = "organisation.audit"
    # Signed webhooks (accounts/webhooks): endpoints, secrets, deliveries. ``obj``: none.
    WEBHOOKS_MANAGE = "organisation.webhooks"
    # Deleting the whole organisation (accounts/deletion): ask for it, undo it. ``obj``: none.
    ORGANISATION_DELETE = "organisation.delete"
    # The whole organisation as one document (okr/exports/organisation.py). ``obj``: none.
    EXPORT_ORGANISATION = "organisation.export_all"
    # Chat notifications (okr/chat): Slack and Teams hooks. ``obj``: the team of the hook,
    # or the hook (none: the organisation's hooks, the whole page): admins; a team's lead too.
    CHAT_HOOKS_MANAGE = "organisation.chat_hooks"
    # The kitchen board's secret links (okr/kiosk). ``obj``: the link (none to make one).
    BOARD_LINKS_MANAGE = "organisation.board_links"
    # Conversation. ``obj``: the comment (none to write one: every member comments).
    COMMENT_CREATE = "comment.create"
    COMMENT_EDIT = "comment.edit"
    COMMENT_DELETE = "comment.delete"
