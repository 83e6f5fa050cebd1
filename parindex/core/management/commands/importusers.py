from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from parindex.core.excel.accounts import read_accounts
from parindex.core.management.commands._excel import read_or_fail, write_or_fail
from parindex.core.models import User
from parindex.core.permissions import can_manage_accounts
from parindex.core.services.accounts import import_accounts, send_links


class Command(BaseCommand):
    help = (
        "Tạo tài khoản từ Excel (trang “Tài khoản”: Tên đăng nhập, Họ và tên, Email, Vai trò, "
        "Mã đơn vị). Có lỗi thì không tạo tài khoản nào."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--send-links",
            action="store_true",
            help="Gửi mỗi người liên kết đặt mật khẩu tới email của họ.",
        )
        parser.add_argument(
            "--site-url",
            default="",
            help="Địa chỉ trang web trong liên kết (mặc định: SITE_URL).",
        )
        parser.add_argument(
            "--by", default="", help="Tên đăng nhập của quản trị viên ghi vào nhật ký."
        )

    def handle(self, *args, file, send_links: bool, site_url: str, by: str, **options):
        actor = self._actor(by)
        accounts, units = read_or_fail(read_accounts, file)
        users = write_or_fail(import_accounts, accounts, units, by=actor)
        self.stdout.write(f"Đã tạo {len(users)} tài khoản.")
        if send_links:
            base = site_url or settings.SITE_URL
            sent = self._send(users, actor, base)
            self.stdout.write(f"Đã gửi {sent}/{len(users)} liên kết đặt mật khẩu.")
            if sent < len(users):
                raise CommandError(
                    "Một số thư không gửi được; gửi lại từ trang Tài khoản "
                    "(“Gửi lại liên kết đặt mật khẩu”)."
                )

    def _actor(self, username: str):
        """The administrator ``--by`` names in the audit trail (none: the command line)."""
        if not username:
            return None
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None or not can_manage_accounts(actor):
            raise CommandError(f"“{username}” không phải là một quản trị viên đang hoạt động.")
        return actor

    def _send(self, users, actor, base) -> int:
        return write_or_fail(send_links, users, by=actor, base_url=base)
