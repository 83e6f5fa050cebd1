"""The one place in web that turns URL parts and typed codes into objects, or answers
404 / 403 / the login page (as healthchecks' ``_get_check_for_user`` does).

Out of the user's scope → 404, so nobody learns that another unit's object exists; in scope
but not allowed (a predicate of core/permissions.py) → 403.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from parindex.core.leaf_lookup import find_leaf
from parindex.core.models import Adjustment, Assessment, Criterion, Evidence, Period, User
from parindex.core.permissions import (
    can_import,
    can_manage_accounts,
    can_view_assessment,
    can_view_results,
    is_province_staff,
)
from parindex.core.services.results import fresh_results


def get_assessment(request, year, unit_code, allowed=None) -> Assessment:
    """Return the assessment of ``unit_code`` in ``year`` if ``request.user`` may see it.

    404 when it is out of scope; 403 when ``allowed(user, assessment)`` says no. It comes
    with its period, unit, group and ``criteria_set_id`` (what its pages read).
    """
    return _visible_assessment(
        request,
        year,
        unit_code,
        allowed,
        Assessment.objects.select_related("period", "unit__group").with_criteria_set(),
    )


def get_leaf(request, year, unit_code, code, allowed=None) -> tuple[Assessment, Criterion]:
    """Return the assessment (as ``get_assessment``) and its leaf ``code``, for the views of
    one leaf: a save, an upload, a comment.

    One statement, as a deadline day needs it (``leaf_lookup.find_leaf``): the assessment with
    its period, its unit and ``criteria_set_id``, and the leaf in the set the unit's group uses
    in the period. 404 when the assessment is out of the user's scope (``can_view_assessment``,
    the predicate of ``visible_to``) or the code is not in the set; 403 as ``get_assessment``.
    """
    assessment, leaf = find_leaf(year, unit_code, code)
    if assessment is None or not can_view_assessment(request.user, assessment):
        raise Http404
    if allowed is not None and not allowed(request.user, assessment):
        raise PermissionDenied
    if leaf is None:
        raise Http404
    return assessment, leaf


def _visible_assessment(request, year, unit_code, allowed, assessments) -> Assessment:
    assessment = get_object_or_404(
        assessments.visible_to(request.user), period__year=year, unit__code=unit_code
    )
    if allowed is not None and not allowed(request.user, assessment):
        raise PermissionDenied
    return assessment


def get_evidence(assessment: Assessment, evidence_id: int) -> Evidence:
    """Return an evidence file of ``assessment`` (404 for any other)."""
    return get_object_or_404(
        Evidence.objects.select_related("entry__criterion"),
        pk=evidence_id,
        entry__assessment=assessment,
    )


def get_adjustment(request, adjustment_id: int, allowed=None) -> Adjustment:
    """Return a bonus/deduction item to province staff; nobody else learns it exists (404).

    403 when ``allowed(user, adjustment)`` says no.
    """
    if not is_province_staff(request.user):
        raise Http404
    adjustment = get_object_or_404(
        Adjustment.objects.select_related("assessment__period"), pk=adjustment_id
    )
    if allowed is not None and not allowed(request.user, adjustment):
        raise PermissionDenied
    return adjustment


def find_assessment(period: Period, unit_code: str) -> Assessment | None:
    """Return the assessment of the unit whose code was typed in a form, or None."""
    return (
        Assessment.objects.filter(period=period, unit__code=unit_code.strip())
        .select_related("unit", "period")
        .first()
    )


def find_criterion(assessment: Assessment, code: str) -> Criterion | None:
    """Return the criterion whose code was typed in a form, in the assessment's set, or None."""
    return Criterion.objects.for_assessment(assessment).filter(code=code.strip()).first()


def results_access(view):
    """Pass the period of ``year`` to ``view`` if the user may read its results.

    Unknown year: 404. Unpublished and anonymous: the login page. Unpublished and logged in
    without the right: 403. For province staff the provisional results are brought up to date
    first (recomputed only when something changed since: ``results.fresh_results``).
    """

    @wraps(view)
    def wrapper(request, year, *args, **kwargs):
        period = get_object_or_404(Period, year=year)
        if not can_view_results(request.user, period):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        if is_province_staff(request.user):
            fresh_results(period)  # provisional standings reflect the latest change
        return view(request, period, *args, **kwargs)

    return wrapper


def staff_period(view):
    """Pass the period of ``year`` to ``view`` for province staff; 403 for everyone else."""

    @login_required
    @wraps(view)
    def wrapper(request, year, *args, **kwargs):
        if not is_province_staff(request.user):
            raise PermissionDenied
        period = get_object_or_404(Period, year=year)
        return view(request, period, *args, **kwargs)

    return wrapper


def staff_only(view):
    """Let province staff through; 403 for everyone else (login first)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_province_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def admin_only(view):
    """Let administrators through (imports replace data across units); 403 for others."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_import(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def latest_results_period(user) -> Period | None:
    """Return the latest period with results ``user`` may read.

    For province staff the latest period's provisional results are brought up to date first,
    so an open period shows its standings without anyone running a command.
    """
    if is_province_staff(user):
        latest = Period.objects.order_by("-year").first()
        if latest is not None:
            fresh_results(latest)
    return Period.objects.visible_to(user).with_results().order_by("-year").first()


def accounts_admin(view):
    """Let the administrators who manage accounts through; 403 for others (login first)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_manage_accounts(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_account(user_id: int):
    """Return the account ``user_id`` with its unit (404 for none); only ``accounts_admin``
    views call it."""
    return get_object_or_404(User.objects.select_related("unit"), pk=user_id)
