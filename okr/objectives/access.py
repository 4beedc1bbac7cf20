"""Look up OKR objects inside the request's organisation; 404 for missing and not-yours alike."""

from accounts.access import get_for_org
from okr.models import CheckIn, Cycle, Initiative, KeyResult, Objective, Review, Score


def get_objective_for_user(request, code) -> Objective:
    return get_for_org(request, Objective.objects.select_related("cycle", "team", "owner"), code)


def get_key_result_for_user(request, code) -> KeyResult:
    queryset = KeyResult.objects.select_related("objective__cycle", "objective__team", "owner")
    return get_for_org(request, queryset, code)


def get_initiative_for_user(request, code) -> Initiative:
    return get_for_org(request, Initiative.objects.select_related("key_result__objective"), code)


def get_cycle_for_user(request, code) -> Cycle:
    return get_for_org(request, Cycle.objects, code)


def get_check_in_for_user(request, code) -> CheckIn:
    return get_for_org(request, CheckIn.objects, code)


def get_review_for_user(request, code) -> Review:
    return get_for_org(request, Review.objects, code)


def get_score_for_user(request, code) -> Score:
    queryset = Score.objects.select_related("cycle", "key_result", "objective")
    return get_for_org(request, queryset, code)
