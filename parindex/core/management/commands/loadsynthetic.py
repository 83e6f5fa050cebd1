import time

from django.core.management.base import BaseCommand, CommandError

from parindex.core.demo.synthetic import build_synthetic_period
from parindex.core.services import WorkflowError


class Command(BaseCommand):
    help = (
        "Tạo một kỳ đánh giá tổng hợp đã công bố với nhiều đơn vị (mặc định năm 2030, 3000 đơn "
        "vị SYN-00001…, 3 khối riêng) để đo tốc độ các trang; không động đến dữ liệu mẫu."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2030)
        parser.add_argument("--units", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, year, units, seed, **options):
        started = time.perf_counter()
        try:
            period = build_synthetic_period(year, units, seed=seed)
        except WorkflowError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Đã tạo và công bố {period.name}: {units} đơn vị trong "
            f"{time.perf_counter() - started:.1f} giây."
        )
