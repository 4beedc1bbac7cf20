"""The okr app's configuration: what it registers when Django starts."""

from django.apps import AppConfig


class OkrConfig(AppConfig):
    name = "okr"
    verbose_name = "OKR"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts import services as accounts_services

        # Registers the deployment checks (`manage.py check --deploy`).
        from okr import checks  # noqa: F401

        # An organisation's fiscal year is fixed once it has cycles (accounts asks okr here).
        if _has_cycles not in accounts_services.fiscal_year_users:
            accounts_services.fiscal_year_users.append(_has_cycles)

        # Every write of these moves the organisation's revision (cached pages go stale).
        from accounts import revision
        from okr.models import (
            CheckIn,
            Comment,
            Cycle,
            Initiative,
            KeyResult,
            Objective,
            ObjectiveEvent,
            ParkingLotItem,
            RetrospectiveNote,
            Review,
            ReviewEntry,
            Score,
        )

        revision.watch(Cycle, Objective, KeyResult, CheckIn, Score)
        # What the pages show beside them: the workshop's initiatives, parking lot and status
        # history, the comments, and each review's entries and notes. (A review's snapshot rows
        # are written in bulk as the review closes, whose save moves it; with receivers of their
        # own, Django's collector would null their teams before deleting them, against
        # ``review_one_strategic_row``.)
        revision.watch(Initiative, ObjectiveEvent, ParkingLotItem, Comment)
        revision.watch(Review, ReviewEntry, RetrospectiveNote)


def _has_cycles(organisation) -> bool:
    from okr.models import Cycle

    return Cycle.objects.filter(organisation=organisation).exists()
