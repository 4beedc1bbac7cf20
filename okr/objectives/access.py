"""Look up OKR objects inside the request's organisation; 404 for missing and not-yours alike."""

from django.http import Http404

from accounts.access import _as_uuid
from okr.models import CheckIn, Cycle, Initiative, KeyResult, Objective


def get_objective_for_user(request, code) -> Objective:
    try:
        return Objective.objects.select_related("cycle", "team", "owner").get(
            organisation=request.organisation, uuid=_as_uuid(code)
        )
    except Objective.DoesNotExist:
        raise Http404 from None


def get_key_result_for_user(request, code) -> KeyResult:
    try:
        return KeyResult.objects.select_related("objective__cycle", "objective__team", "owner").get(
            organisation=request.organisation, uuid=_as_uuid(code)
        )
    except KeyResult.DoesNotExist:
        raise Http404 from None


def get_initiative_for_user(request, code) -> Initiative:
    try:
        return Initiative.objects.select_related("key_result__objective").get(
            organisation=request.organisation, uuid=_as_uuid(code)
        )
    except Initiative.DoesNotExist:
        raise Http404 from None


def get_cycle_for_user(request, code) -> Cycle:
    try:
        return Cycle.objects.get(organisation=request.organisation, uuid=_as_uuid(code))
    except Cycle.DoesNotExist:
        raise Http404 from None


def get_check_in_for_user(request, code) -> CheckIn:
    try:
        return CheckIn.objects.get(organisation=request.organisation, uuid=_as_uuid(code))
    except CheckIn.DoesNotExist:
        raise Http404 from None


def get_review_for_user(request, code):
    from okr.models import Review

    try:
        return Review.objects.get(organisation=request.organisation, uuid=_as_uuid(code))
    except Review.DoesNotExist:
        raise Http404 from None


def get_score_for_user(request, code):
    from okr.models import Score

    try:
        return Score.objects.select_related("cycle", "key_result", "objective").get(
            organisation=request.organisation, uuid=_as_uuid(code)
        )
    except Score.DoesNotExist:
        raise Http404 from None
