"""The accounts page of the province's administrator (``/accounts/``): list, create, change,
lock and unlock, send the password link again, and create many from an Excel sheet."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from parindex.core.excel.accounts import accounts_template, read_accounts
from parindex.core.excel.reading import ImportProblems
from parindex.core.models import User
from parindex.core.services import WorkflowError
from parindex.core.services import accounts as services
from parindex.core.services.staging import stage_upload, staged_file
from parindex.web.account_page import (
    PAGE_ROWS,
    AccountFilter,
    AccountForm,
    AccountTable,
    active_units,
)
from parindex.web.exports import xlsx_response
from parindex.web.views.access import accounts_admin, get_account
from parindex.web.views.actions import confirm_first

KIND = "accounts"  # the staged upload's kind, between the preview and the confirmation


def base_url(request) -> str:
    """The site's address the e-mailed links start with, as this request reached it."""
    return request.build_absolute_uri("/")


def list_url(*_args) -> str:
    return reverse("web:accounts")


@accounts_admin
def account_list(request):
    users = User.objects.select_related("unit").order_by("first_name", "last_name", "username")
    filters = AccountFilter(request.GET, queryset=users)
    table = AccountTable(filters.qs)
    RequestConfig(request, paginate={"per_page": PAGE_ROWS}).configure(table)
    return render(request, "accounts/list.html", {"table": table, "filter": filters})


@accounts_admin
def account_create(request):
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.create_account(
                form.account(), by=request.user, base_url=base_url(request)
            )
        except services.AccountError as error:
            form.add_problems(error.fields)
        else:
            _say_link(request, saved, _("Đã tạo tài khoản “%(u)s”.") % {"u": saved.user.username})
            return redirect("web:accounts")
    status = 400 if form.errors else 200
    return _form_page(request, form, None, status)


@accounts_admin
def account_edit(request, user_id):
    account = get_account(user_id)
    form = AccountForm(request.POST or None, user=account)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_account(account, form.account(), by=request.user)
        except services.AccountError as error:
            form.add_problems(error.fields)
        else:
            messages.success(request, _("Đã lưu tài khoản “%(u)s”.") % {"u": account.username})
            return redirect("web:accounts")
    status = 400 if form.errors else 200
    return _form_page(request, form, account, status)


def _form_page(request, form, account, status):
    form.mark_errors()
    context = {"form": form, "account": account, "units": active_units()}
    return render(request, "accounts/form.html", context, status=status)


def _say_link(request, saved, done: str = "") -> None:
    email = saved.user.email
    if saved.link_sent:
        said = _("Đã gửi liên kết đặt mật khẩu tới %s.") % email
        messages.success(request, " ".join(filter(None, [done, said])))
        return
    said = (
        _(
            "Chưa gửi được thư tới %s (máy chủ thư không nhận); hãy bấm “Gửi lại liên kết đặt mật "
            "khẩu” sau."
        )
        % email
    )
    messages.warning(request, " ".join(filter(None, [done, said])))


def _account_back(user_id):
    return reverse("web:account", args=[user_id])


def _account_name(user_id):
    account = User.objects.filter(pk=user_id).first()
    return f"{account} ({account.username})" if account else ""


@accounts_admin
@require_POST
@confirm_first("deactivate_account", back=_account_back, subject=_account_name)
def account_deactivate(request, user_id):
    return _switch(request, user_id, services.deactivate_account, _("Đã khóa tài khoản “%s”."))


@accounts_admin
@require_POST
@confirm_first("reactivate_account", back=_account_back, subject=_account_name)
def account_reactivate(request, user_id):
    return _switch(request, user_id, services.reactivate_account, _("Đã mở khóa tài khoản “%s”."))


def _switch(request, user_id, service, done):
    account = get_account(user_id)
    try:
        service(account, by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % account.username)
    return redirect("web:account", account.pk)


@accounts_admin
@require_POST
def account_send_link(request, user_id):
    account = get_account(user_id)
    try:
        saved = services.send_password_link(account, by=request.user, base_url=base_url(request))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        _say_link(request, saved)
    return redirect("web:account", account.pk)


@accounts_admin
@require_POST
def accounts_import(request):
    """Check an uploaded sheet: its problems cell by cell, or the accounts it would create."""
    file = request.FILES.get("file")
    if file is None:
        return _import_page(request, problems=[_("Chưa chọn tệp.")], status=400)
    try:
        accounts, units = read_accounts(file)
    except ImportProblems as error:
        return _import_page(request, problems=error.problems, status=400)
    token = stage_upload(KIND, file, by=request.user)
    rows = [(a, units.get(a.unit_code)) for a in accounts]
    return _import_page(request, rows=rows, token=token, name=file.name)


@accounts_admin
@require_POST
def accounts_import_confirm(request):
    """Create every account of the previewed sheet (checked again), or none."""
    with staged_file(request.POST.get("token", ""), KIND, by=request.user) as (file, _ticket):
        if file is None:
            expired = _("Phiên nhập đã hết hạn; hãy tải tệp lên lại.")
            return _import_page(request, problems=[expired], status=400)
        try:
            accounts, units = read_accounts(file)
            users = services.import_accounts(accounts, units, by=request.user)
        except ImportProblems as error:
            return _import_page(request, problems=error.problems, status=400)
        except WorkflowError as error:
            return _import_page(request, refused=error, status=400)
    done = _("Đã tạo %s tài khoản.") % len(users)
    if request.POST.get("send_links") == "1":
        sent = services.send_links(users, by=request.user, base_url=base_url(request))
        done += " " + _("Đã gửi %(sent)s/%(n)s liên kết đặt mật khẩu.") % {
            "sent": sent,
            "n": len(users),
        }
    messages.success(request, done)
    return redirect("web:accounts")


def _import_page(request, *, status=200, **context):
    return render(request, "accounts/import.html", context, status=status)


@accounts_admin
def accounts_import_template(request):
    return xlsx_response(accounts_template(), "mau-tai-khoan.xlsx")
