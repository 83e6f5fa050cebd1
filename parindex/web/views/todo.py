"""The to-do page ("Việc cần làm") after login, and the Sở Nội vụ progress board of a period."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from parindex.core.board import progress_board
from parindex.core.todo import shows_dashboard, todo_for
from parindex.web.views.access import staff_period


@login_required
def todo(request):
    """Show what waits for the visitor now; a leader's work is the dashboard."""
    if shows_dashboard(request.user):
        return redirect("web:dashboard-latest")
    return render(request, "todo/todo.html", {"todo": todo_for(request.user)})


@staff_period
def progress(request, period):
    """Show where every unit of ``period`` stands, per group and status, and who did what."""
    return render(
        request, "review/progress.html", {"period": period, "board": progress_board(period)}
    )
