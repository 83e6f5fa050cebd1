"""Running one service from a view and turning its refusal into a message for the person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from parindex.core.services import WorkflowError
from parindex.web.views.access import get_assessment


def run(request, service, success, *args, **kwargs) -> bool:
    """Run one transition; show ``success`` or the service's refusal as a message."""
    try:
        service(*args, by=request.user, **kwargs)
    except WorkflowError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


def assessment_transition(service, success, *, allowed, back=None):
    """Build a POST view that runs ``service`` on one assessment and goes back to a page.

    ``allowed(user, assessment)`` is the permission (403 otherwise); ``back(assessment)`` is
    the page to return to (the unit's entry page by default).
    """

    @login_required
    @require_POST
    def view(request, year, unit_code):
        assessment = get_assessment(request, year, unit_code, allowed)
        run(request, service, success, assessment)
        return redirect(back(assessment) if back else assessment)

    return view
