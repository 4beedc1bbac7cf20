"""Being written: replaced by the page implementation."""

from django.http import Http404

from accounts.access import org_view


@org_view
def strategic(request, code=None):
    raise Http404


@org_view
def objective_new(request, code=None):
    raise Http404


@org_view
def objective_edit(request, code=None):
    raise Http404


@org_view
def objective_move(request, code=None):
    raise Http404


@org_view
def objective_archive(request, code=None):
    raise Http404


@org_view
def key_result_new(request, code=None):
    raise Http404


@org_view
def key_result_edit(request, code=None):
    raise Http404


@org_view
def key_result_move(request, code=None):
    raise Http404


@org_view
def key_result_archive(request, code=None):
    raise Http404


@org_view
def coach(request, code=None):
    raise Http404

