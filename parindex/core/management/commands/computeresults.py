import time

from django.core.management.base import BaseCommand, CommandError

from parindex.core.calculation import check_results
from parindex.core.management.commands._period import get_period
from parindex.core.services import WorkflowError
from parindex.core.services.results import compute_results


class Command(BaseCommand):
    help = (
        "Tính lại kết quả (tạm tính) của một kỳ đánh giá chưa công bố; với --check, tính lại "
        "mà không ghi và so với kết quả đang lưu (dùng được cho kỳ đã công bố)."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--check", action="store_true", help="Chỉ kiểm tra, không ghi kết quả.")

    def handle(self, *args, year, check, **options):
        period = get_period(year)
        started = time.perf_counter()
        try:
            if check:
                differences = check_results(period)
            else:
                result_sets = compute_results(period)
        except WorkflowError as error:
            raise CommandError(str(error)) from None
        elapsed = time.perf_counter() - started
        if not check:
            self.stdout.write(
                f"Đã tính kết quả năm {year}: "
                f"{sum(rs.units.count() for rs in result_sets)} đơn vị, "
                f"{len(result_sets)} khối trong {elapsed:.3f} giây."
            )
            return
        if differences:
            for line in differences:
                self.stdout.write(line)
            raise CommandError(f"Kết quả lưu năm {year} khác {len(differences)} chỗ.")
        self.stdout.write(f"Kết quả lưu năm {year} khớp với điểm chi tiết ({elapsed:.3f} giây).")
