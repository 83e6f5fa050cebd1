from django.shortcuts import redirect, render

from parindex.core.models import Period


def home(request):
    """Send the visitor to the latest league tables they may read."""
    latest = (
        Period.objects.visible_to(request.user)
        .filter(result_sets__is_current=True)
        .order_by("-year")
        .first()
    )
    if latest is not None:
        return redirect("web:rankings", year=latest.year)
    return render(request, "home/empty.html")
