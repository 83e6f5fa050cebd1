import time

from django.core.management.base import BaseCommand, CommandError

from parindex.core.management.commands._period import get_period
from parindex.core.services import WorkflowError
from parindex.core.services.results import compute_results


class Command(BaseCommand):
    help = "Tính lại kết quả (tạm tính) của một kỳ đánh giá chưa công bố."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)

    def handle(self, *args, year, **options):
        period = get_period(year)
        started = time.perf_counter()
        try:
            result_set = compute_results(period)
        except WorkflowError as error:
            raise CommandError(str(error)) from None
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Đã tính kết quả năm {year}: {result_set.units.count()} đơn vị "
            f"trong {elapsed:.3f} giây."
        )
