"""Running one service from a view, asking first when the step cannot be undone, and turning
a refusal into a message for the person."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parindex.core.models import JobKind
from parindex.core.services import WorkflowError
from parindex.core.services.jobs import start_job
from parindex.web.confirmations import CONFIRMATIONS
from parindex.web.views.access import get_assessment

CONFIRMED = "confirmed"


def run(request, service, success, *args, **kwargs) -> bool:
    """Run one transition; show ``success`` or the service's refusal as a message."""
    try:
        service(*args, by=request.user, **kwargs)
    except WorkflowError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


def ask_first(request, name: str, *, back: str | None = None, subject: str = ""):
    """Return the confirmation page of action ``name`` unless the POST carries confirmed=1.

    Call it once access is checked, so that only who may act is asked. The page says what
    will happen and to whom it becomes visible (``web/confirmations.py``) and re-posts the
    same fields with confirmed=1; "Quay lại" goes to ``back`` (by default the page the form
    was on). Returns None when confirmed: the view goes ahead.
    """
    if request.POST.get(CONFIRMED) == "1":
        return None
    fields = [
        (key, value)
        for key, values in request.POST.lists()
        if key not in ("csrfmiddlewaretoken", CONFIRMED)
        for value in values
    ]
    context = {
        "confirmation": CONFIRMATIONS[name],
        "subject": subject,
        "fields": fields,
        "action": request.get_full_path(),
        "back": back or _referer(request),
    }
    return render(request, "confirm.html", context)


def _referer(request) -> str:
    referer = request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if safe else "/"


def confirm_first(name: str, *, back=None, subject=None):
    """Decorate a POST view so that it asks the confirmation of ``name`` first.

    Put it under the decorators that check access. ``back`` and ``subject``, when given, are
    called with the view's arguments (without the request) to name the page to return to and
    what the step is about.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            page = ask_first(
                request,
                name,
                back=back(*args, **kwargs) if back else None,
                subject=subject(*args, **kwargs) if subject else "",
            )
            return page or view(request, *args, **kwargs)

        return wrapper

    return decorator


def assessment_transition(service, success, *, allowed, back=None, confirm=None):
    """Build a POST view that runs ``service`` on one assessment and goes back to a page.

    ``allowed(user, assessment)`` is the permission (403 otherwise); ``back(assessment)`` is
    the page to return to (the unit's entry page by default); ``confirm`` names the
    confirmation to ask first (``web/confirmations.py``) when the step cannot be undone.
    """

    @login_required
    @require_POST
    def view(request, year, unit_code):
        assessment = get_assessment(request, year, unit_code, allowed)
        back_url = back(assessment) if back else assessment.get_absolute_url()
        if confirm:
            page = ask_first(request, confirm, back=back_url, subject=str(assessment))
            if page:
                return page
        run(request, service, success, assessment)
        return redirect(back_url)

    return view


def start_publication(
    request, period, subject: str, *, group=None, decision_number: str, decision_date=None
):
    """Start publishing ``group`` (or every finalised group of the period) in the worker;
    return the job, whose page shows how it ended."""
    params = {
        "group": group.code if group is not None else "",
        "decision_number": decision_number,
        "decision_date": decision_date.isoformat() if decision_date else "",
    }
    title = _("Công bố kết quả: %(subject)s") % {"subject": subject}
    return start_job(JobKind.PUBLISH, title, by=request.user, period=period, params=params)
