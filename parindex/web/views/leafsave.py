"""Saving one leaf from a page: JSON for the page's script, a redirect or the page otherwise.

The JSON of a save carries the new revision and the time only: the running totals of the page
are not recomputed for every save; the page's script fetches them from the page's totals URL
once the saves settle (``totals_answer``).

A save refused because someone else saved the leaf first (``EditConflict``) comes back with
both values, who saved the stored one and when, and two ways on: keep the stored value, or
save one's own over the revision now seen. The form itself keeps the revision it was loaded
with, so saving it again as it is never overwrites the other person's value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from parindex.core.errors import EditConflict
from parindex.core.numbers import points_text
from parindex.core.services import WorkflowError

BOOKKEEPING = ("csrfmiddlewaretoken", "revision")


def wants_json(request):
    # From META: ``request.headers`` would build the whole header mapping on every save.
    return request.META.get("HTTP_X_REQUESTED_WITH") == "fetch"


@dataclass(frozen=True)
class ConflictBox:
    """What the conflict box of a leaf shows, and what its two buttons do."""

    code: str
    has_points: bool
    stored_points: str
    stored_note: str
    stored_not_applicable: bool
    author: str
    saved_at: datetime | None
    your_points: str
    your_note: str
    revision: int
    action: str
    fields: list
    keep_url: str


def conflict_box(request, leaf, conflict: EditConflict, *, typed: dict, keep_url: str):
    """Return the box of ``conflict``: "keep" goes to ``keep_url`` (the stored value and the
    current revision), "overwrite" posts again what was typed with the current revision."""
    return ConflictBox(
        code=leaf.code,
        has_points="points" in typed,
        stored_points=points_text(conflict.their_points),
        stored_note=conflict.their_note,
        stored_not_applicable=conflict.their_not_applicable and "not_applicable" in typed,
        author=conflict.their_author,
        saved_at=conflict.their_at,
        your_points=conflict.your_points,
        your_note=conflict.your_note,
        revision=conflict.revision,
        action=request.path,
        fields=[
            (name, value)
            for name, values in request.POST.lists()
            if name not in BOOKKEEPING
            for value in values
        ],
        keep_url=keep_url,
    )


def url_of(back_url) -> str:
    """Return the URL of ``back_url``: (url function, its arguments)."""
    function, *arguments = back_url
    return function(*arguments)


def answer_leaf_save(request, assessment, leaf, save, *, page, back_url, typed, revision):
    """Run ``save()`` and answer for the leaf ``leaf``.

    ``page`` is (template, context builder) used to show a refused save again without script;
    ``typed`` is what the person typed (row attributes of the page) and ``revision`` the
    revision their form was loaded with, both kept on the page when the save is refused.
    """
    kept = {"typed": typed, "revision": revision}
    try:
        entry = save()
    except EditConflict as conflict:
        box = conflict_box(request, leaf, conflict, typed=typed, keep_url=url_of(back_url))
        return leaf_error(
            request, assessment, leaf, conflict.message, status=409, page=page, kept=kept, box=box
        )
    except WorkflowError as error:
        return leaf_error(
            request, assessment, leaf, error.message, status=400, page=page, kept=kept
        )
    if wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "revision": entry.revision,
                "saved_at": timezone.localtime(entry.updated_at).strftime("%H:%M"),
            }
        )
    messages.success(request, _("Đã lưu tiêu chí %(code)s.") % {"code": leaf.code})
    return redirect(url_of(back_url))


def conflict_payload(request, box: ConflictBox) -> dict:
    """The JSON of a conflict: the stored value, who and when, and the box to show."""
    saved_at = timezone.localtime(box.saved_at).strftime("%H:%M %d/%m/%Y") if box.saved_at else ""
    return {
        "conflict": True,
        "revision": box.revision,
        "their_points": box.stored_points if box.has_points else None,
        "their_note": box.stored_note,
        "their_not_applicable": box.stored_not_applicable,
        "their_author": box.author,
        "their_at": saved_at,
        "box": render_to_string("includes/_conflict.html", {"box": box}, request=request),
    }


def leaf_error(request, assessment, leaf, message, *, status, page, kept=None, box=None):
    """Answer a refused save: JSON for the page's script, else the page with the error shown.

    ``kept`` ({typed, revision}) is what the leaf's form shows again; ``box`` the conflict.
    """
    if wants_json(request):
        payload = {"ok": False, "error": str(message)}
        if box is not None:
            payload.update(conflict_payload(request, box))
        return JsonResponse(payload, status=status)
    template, build_context = page
    context = build_context(
        request.user,
        assessment,
        leaf_error={"criterion_id": leaf.pk, "message": str(message), "box": box, **(kept or {})},
    )
    return render(request, template, context, status=status)


def leaf_post(request, assessment, leaf, form_class, save, *, page, back_url, typed):
    """Validate ``form_class`` from the POST, then run ``save(cleaned_data)`` for the leaf.

    ``typed(cleaned_data)`` gives the row attributes to show again if the save is refused;
    ``back_url`` is (url function, its arguments), reversed only when an answer needs it (a
    script's save succeeding, the most common answer, does not: ``reverse`` was a fiftieth of
    its time).
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
        back_url=back_url,
        typed=typed(data),
        revision=data["revision"],
    )


def asked_leaves(request) -> list[str]:
    """The codes of the leaves whose history the page's script asks back (``?leaves=a,b``)."""
    return request.GET.get("leaves", "").split(",")


def totals_answer(updates: dict, histories: dict | None = None) -> JsonResponse:
    """Answer the page's script with the selector → text of its running totals and, for the
    leaves it saved, code → their history block; never cached."""
    response = JsonResponse({"updates": updates, "histories": histories or {}})
    add_never_cache_headers(response)
    return response
