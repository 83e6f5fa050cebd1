"""Saving one leaf from a page: JSON for the page's script, a redirect or the page otherwise."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from parindex.core.errors import EditConflict
from parindex.core.services import WorkflowError


def wants_json(request):
    return request.headers.get("X-Requested-With") == "fetch"


def answer_leaf_save(request, assessment, leaf, save, *, page, updates, back_url, typed):
    """Run ``save()`` and answer for the leaf ``leaf``.

    ``page`` is (template, context builder) used to show a refused save again without script;
    ``updates(assessment)`` gives the selector → text changes the script applies; ``typed`` is
    what the person typed, kept on the page when the save is refused.
    """
    try:
        entry = save()
    except EditConflict as conflict:
        return leaf_error(
            request, assessment, leaf, conflict.message, status=409, page=page, conflict=conflict
        )
    except WorkflowError as error:
        return leaf_error(
            request, assessment, leaf, error.message, status=400, page=page, typed=typed
        )
    if wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "revision": entry.revision,
                "saved_at": timezone.localtime(entry.updated_at).strftime("%H:%M"),
                "updates": updates(assessment),
            }
        )
    messages.success(request, f"Đã lưu tiêu chí {leaf.code}.")
    return redirect(back_url)


def leaf_error(request, assessment, leaf, message, *, status, page, conflict=None, typed=None):
    """Answer a refused save: JSON for the page's script, else the page with the error shown."""
    if wants_json(request):
        payload = {"ok": False, "error": str(message)}
        if conflict is not None:
            payload.update(
                conflict=True,
                revision=conflict.revision,
                their_points=None if conflict.their_points is None else str(conflict.their_points),
                their_note=conflict.their_note,
                their_author=conflict.their_author,
            )
        return JsonResponse(payload, status=status)
    template, build_context = page
    context = build_context(
        request.user,
        assessment,
        leaf_error={
            "criterion_id": leaf.pk,
            "message": str(message),
            "conflict": conflict,
            "typed": typed,
        },
    )
    return render(request, template, context, status=status)


def leaf_post(request, assessment, leaf, form_class, save, *, page, updates, back_url, typed):
    """Validate ``form_class`` from the POST, then run ``save(cleaned_data)`` for the leaf.

    ``typed(cleaned_data)`` is the (points, note) to show again if the save is refused.
    """
    form = form_class(request.POST)
    if not form.is_valid():
        return leaf_error(request, assessment, leaf, form.errors.as_text(), status=400, page=page)
    data = form.cleaned_data
    return answer_leaf_save(
        request,
        assessment,
        leaf,
        lambda: save(data),
        page=page,
        updates=updates,
        back_url=back_url,
        typed=typed(data),
    )
