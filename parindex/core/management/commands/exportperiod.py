import time

from django.core.management.base import BaseCommand

from parindex.core.excel.writing import write_period
from parindex.core.management.commands._excel import save
from parindex.core.management.commands._period import get_period


class Command(BaseCommand):
    help = "Xuất cả một kỳ đánh giá ra sổ điểm Excel."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, year, output, **options):
        started = time.perf_counter()
        content = write_period(get_period(year))
        save(output, content, self.stdout)
        self.stdout.write(f"({time.perf_counter() - started:.2f} s)")
