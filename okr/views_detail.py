"""Being written: replaced by the page implementation."""

from django.http import Http404

from accounts.access import org_view


@org_view
def objective_detail(request, code=None):
    raise Http404


@org_view
def key_result_detail(request, code=None):
    raise Http404


@org_view
def key_result_check_in(request, code=None):
    raise Http404


@org_view
def initiative_new(request, code=None):
    raise Http404


@org_view
def initiative_status(request, code=None):
    raise Http404

