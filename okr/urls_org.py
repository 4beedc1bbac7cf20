"""The OKR pages of one organisation (mounted under /<org_slug>/)."""

from django.urls import path

from okr.chat import views as chat
from okr.closing import views as closing
from okr.conversation.urls import urlpatterns as conversation_patterns
from okr.exports import views as views_export
from okr.imports import views as views_import
from okr.kiosk import views as kiosk
from okr.objectives import views, views_detail, views_home, views_strategic
from okr.personal import views as personal
from okr.reviews import views as review
from okr.search import views as search
from okr.workshop import approvals, kick_off, parking
from okr.workshop import views as workshop
from okr.years import views as years

app_name = "okr"

urlpatterns = [
    path("", views_home.home, name="home"),
    path("check-ins/", views.my_check_ins, name="my_check_ins"),
    # Strategic OKRs (leadership edits in place, everyone reads).
    path("strategic/", views_strategic.strategic, name="strategic"),
    path("strategic/objectives/new/", views_strategic.objective_new, name="objective_new"),
    path("objectives/<uuid:code>/edit/", views_strategic.objective_edit, name="objective_edit"),
    path("objectives/<uuid:code>/move/", views_strategic.objective_move, name="objective_move"),
    path(
        "objectives/<uuid:code>/archive/",
        views_strategic.objective_archive,
        name="objective_archive",
    ),
    path(
        "objectives/<uuid:code>/key-results/new/",
        views_strategic.key_result_new,
        name="key_result_new",
    ),
    path("key-results/<uuid:code>/edit/", views_strategic.key_result_edit, name="key_result_edit"),
    path("key-results/<uuid:code>/move/", views_strategic.key_result_move, name="key_result_move"),
    path(
        "key-results/<uuid:code>/archive/",
        views_strategic.key_result_archive,
        name="key_result_archive",
    ),
    path("coach/", views_strategic.coach, name="coach"),
    # Detail pages.
    path("objectives/<uuid:code>/", views_detail.objective_detail, name="objective_detail"),
    path("key-results/<uuid:code>/", views_detail.key_result_detail, name="key_result_detail"),
    path(
        "key-results/<uuid:code>/check-in/",
        views_detail.key_result_check_in,
        name="key_result_check_in",
    ),
    path(
        "key-results/<uuid:code>/initiatives/", views_detail.initiative_new, name="initiative_new"
    ),
    path(
        "initiatives/<uuid:code>/status/", views_detail.initiative_status, name="initiative_status"
    ),
    # Team workshop (team members, lead and leadership edit; everyone reads).
    path("workshop/", workshop.workshop_index, name="workshop"),
    path("workshop/<uuid:code>/", workshop.team_workshop, name="team_workshop"),
    path(
        "workshop/<uuid:code>/objectives/new/",
        workshop.objective_new,
        name="workshop_objective_new",
    ),
    path("workshop/<uuid:code>/submit/", workshop.submit, name="workshop_submit"),
    path("workshop/<uuid:code>/parking-lot/", parking.parking_add, name="workshop_parking_add"),
    path(
        "workshop/objectives/<uuid:code>/edit/",
        workshop.objective_edit,
        name="workshop_objective_edit",
    ),
    path(
        "workshop/objectives/<uuid:code>/move/",
        workshop.objective_move,
        name="workshop_objective_move",
    ),
    path(
        "workshop/objectives/<uuid:code>/archive/",
        workshop.objective_archive,
        name="workshop_objective_archive",
    ),
    path(
        "workshop/objectives/<uuid:code>/key-results/new/",
        workshop.key_result_new,
        name="workshop_key_result_new",
    ),
    path(
        "workshop/key-results/<uuid:code>/edit/",
        workshop.key_result_edit,
        name="workshop_key_result_edit",
    ),
    path(
        "workshop/key-results/<uuid:code>/move/",
        workshop.key_result_move,
        name="workshop_key_result_move",
    ),
    path(
        "workshop/key-results/<uuid:code>/archive/",
        workshop.key_result_archive,
        name="workshop_key_result_archive",
    ),
    path(
        "workshop/parking-lot/<uuid:code>/convert/",
        parking.parking_convert,
        name="workshop_parking_convert",
    ),
    path(
        "workshop/parking-lot/<uuid:code>/discard/",
        parking.parking_discard,
        name="workshop_parking_discard",
    ),
    path("kick-off/", kick_off.presentation, name="presentation"),
    # Personal OKRs (the organisation's pilot; okr/personal): the owner writes, everyone reads.
    path("my-okrs/", personal.my_okrs, name="my_okrs"),
    path("my-okrs/objectives/new/", personal.objective_new, name="personal_objective_new"),
    path(
        "my-okrs/objectives/<uuid:code>/key-results/new/",
        personal.key_result_new,
        name="personal_key_result_new",
    ),
    path(
        "my-okrs/objectives/<uuid:code>/archive/",
        personal.objective_archive,
        name="personal_objective_archive",
    ),
    path(
        "my-okrs/key-results/<uuid:code>/archive/",
        personal.key_result_archive,
        name="personal_key_result_archive",
    ),
    path("search/", search.search, name="search"),
    # Approval queue (leadership).
    path("approvals/", approvals.approvals, name="approvals"),
    path("approvals/objectives/<uuid:code>/approve/", approvals.approve, name="approval_approve"),
    path(
        "approvals/objectives/<uuid:code>/request-changes/",
        approvals.request_changes,
        name="approval_request_changes",
    ),
    path("approvals/teams/<uuid:code>/approve/", approvals.approve_team, name="approval_team"),
    # Biweekly review (everyone reads; leadership starts, moves, records and closes) and quarter close.
    path("reviews/", review.reviews, name="reviews"),
    path("reviews/new/", review.review_new, name="review_new"),
    path("reviews/<uuid:code>/", review.review, name="review"),
    path("reviews/<uuid:code>/move/", review.review_move, name="review_move"),
    path("reviews/<uuid:code>/entries/", review.review_entry_new, name="review_entry_new"),
    path("reviews/<uuid:code>/close/", review.review_close, name="review_close"),
    path("reviews/actions/<uuid:code>/done/", review.action_done, name="review_action_done"),
    path("quarter-close/", closing.quarter_close, name="quarter_close"),
    path("cycles/<uuid:code>/close/", closing.quarter_close_run, name="quarter_close_run"),
    path(
        "cycles/<uuid:code>/retrospective/",
        closing.retrospective_new,
        name="retrospective_new",
    ),
    path("scores/<uuid:code>/override/", closing.score_override, name="score_override"),
    path("objectives/<uuid:code>/carry/", closing.objective_carry, name="objective_carry"),
    # The year-end review (everyone reads) and next year's strategic drafts (leadership).
    path("year-review/", years.year_review, name="year_review"),
    path("next-year/", years.next_year, name="next_year"),
    path("next-year/start/", years.year_start, name="year_start"),
    path("next-year/publish/", years.year_publish, name="year_publish"),
    path("objectives/<uuid:code>/carry-on/", years.carry_on, name="objective_carry_on"),
    # Downloads (leadership): streamed CSV and JSON.
    path("export/okrs.csv", views_export.okrs_csv, name="export_okrs_csv"),
    path("export/check-ins.csv", views_export.check_ins_csv, name="export_check_ins_csv"),
    path("export/scores.csv", views_export.scores_csv, name="export_scores_csv"),
    path("export/okrs.json", views_export.okrs_json, name="export_okrs_json"),
    # Importing OKRs from a spreadsheet (okr/imports).
    path("import/", views_import.import_page, name="import"),
    path("import/template.csv", views_import.template_csv, name="import_template_csv"),
    path("import/template.xlsx", views_import.template_xlsx, name="import_template_xlsx"),
    # Everything of the organisation in one JSON document (admins; a settings page).
    path("settings/export/", views_export.organisation, name="organisation_export"),
    path(
        "settings/export/organisation.json",
        views_export.organisation_json,
        name="organisation_export_json",
    ),
    # The kitchen board's secret links (admins; a settings page, okr/kiosk).
    path("settings/kitchen-board/", kiosk.links, name="kiosk_links"),
    path("settings/kitchen-board/<uuid:code>/revoke/", kiosk.link_revoke, name="kiosk_link_revoke"),
    # Chat notifications: Slack and Teams hooks (admins, team leads; a settings page, okr/chat).
    path("settings/chat/", chat.hooks, name="chat_hooks"),
    path("settings/chat/<uuid:code>/test/", chat.hook_test, name="chat_hook_test"),
    path("settings/chat/<uuid:code>/off/", chat.hook_disable, name="chat_hook_disable"),
    path("settings/chat/<uuid:code>/remove/", chat.hook_delete, name="chat_hook_delete"),
]

# Comments and notifications (okr/conversation).
urlpatterns += conversation_patterns
