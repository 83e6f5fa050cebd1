import time
from functools import partial

from django.core.management.base import BaseCommand, CommandError

from parindex.core.excel.prefix import prefix_problem
from parindex.core.excel.workbooks import read_period
from parindex.core.management.commands._excel import (
    add_change_options,
    changes_report,
    read_or_fail,
    write_or_fail,
)
from parindex.core.services.imports import import_period_changes, preview_period_import


class Command(BaseCommand):
    help = (
        "Nhập cả một kỳ đánh giá từ sổ điểm Excel (một giao dịch): chỉ ghi những gì khác dữ "
        "liệu đang lưu, giữ trạng thái của kỳ và các bản đánh giá đã có."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--finalise",
            action="store_true",
            help="Chốt kết quả sau khi nhập (mọi đơn vị phải đã thẩm định xong).",
        )
        parser.add_argument(
            "--publish", action="store_true", help="Chốt và công bố ngay sau khi nhập."
        )
        parser.add_argument(
            "--prefix",
            default="",
            help=(
                "Tiền tố thêm vào mọi mã đơn vị và mã khối của tệp (ví dụ BD-): nhập sổ điểm của "
                "tỉnh đã sáp nhập làm lịch sử của các đơn vị tiền thân. Vào một kỳ đã công bố, "
                "tệp chỉ được thêm khối mới; --publish công bố đúng các khối đó."
            ),
        )
        add_change_options(parser, "giá trị")

    def handle(self, *args, file, finalise, publish, replace, preview, prefix, **options):
        started = time.perf_counter()
        if prefix and prefix_problem(prefix):
            raise CommandError(prefix_problem(prefix))
        data = read_or_fail(partial(read_period, prefix=prefix), file)
        read = time.perf_counter() - started
        if preview:
            changes = write_or_fail(preview_period_import, data)
            self.stdout.write(f"Xem trước năm {data.year}, chưa ghi gì.\n{changes_report(changes)}")
            return
        changes = write_or_fail(
            import_period_changes,
            data,
            finalise=finalise,
            publish=publish,
            replace=replace,
            with_indices=True,
        )
        total = time.perf_counter() - started
        summary, period = data.summary, changes.period
        status = f"Trạng thái: {period.get_status_display()}."
        if not changes.has_changes:
            self.stdout.write(f"Năm {period.year}: {changes.summary} {status}")
            return
        self.stdout.write(
            f"Đã nhập năm {period.year}: {summary['units']} đơn vị, {summary['assessed']} bản "
            f"đánh giá, {summary['cells']} ô điểm (đọc {read:.2f} s, tổng {total:.2f} s). "
            f"{status}\n{changes_report(changes)}"
        )
