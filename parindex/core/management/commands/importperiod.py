import time

from django.core.management.base import BaseCommand

from parindex.core.excel.workbooks import read_period
from parindex.core.management.commands._excel import read_or_fail, write_or_fail
from parindex.core.services.imports import import_period


class Command(BaseCommand):
    help = "Nhập cả một kỳ đánh giá từ sổ điểm Excel (một giao dịch), rồi tính kết quả."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--publish", action="store_true", help="Công bố ngay sau khi nhập.")

    def handle(self, *args, file, publish, **options):
        started = time.perf_counter()
        data = read_or_fail(read_period, file)
        read = time.perf_counter() - started
        period = write_or_fail(import_period, data, publish=publish)
        total = time.perf_counter() - started
        summary = data.summary
        self.stdout.write(
            f"Đã nhập năm {period.year}: {summary['units']} đơn vị, {summary['assessed']} bản "
            f"đánh giá, {summary['cells']} ô điểm (đọc {read:.2f} s, tổng {total:.2f} s)."
        )
