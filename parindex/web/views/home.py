from django.shortcuts import redirect, render

from parindex.web.views.access import latest_results_period


def home(request):
    """Send the visitor to the latest league tables they may read."""
    latest = latest_results_period(request.user)
    if latest is not None:
        return redirect("web:rankings", year=latest.year)
    return render(request, "home/empty.html")
