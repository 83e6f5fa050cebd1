from django.core.management.base import BaseCommand, CommandError

from parindex.core.excel.workbooks import read_survey
from parindex.core.management.commands._excel import read_or_fail, write_or_fail
from parindex.core.management.commands._period import get_period
from parindex.core.models import UnitGroup
from parindex.core.services.imports import import_survey


class Command(BaseCommand):
    help = "Nhập kết quả điều tra xã hội học của một khối trong một kỳ đánh giá."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("group")
        parser.add_argument("file")

    def handle(self, *args, year, group, file, **options):
        period = get_period(year)
        unit_group = UnitGroup.objects.filter(code=group).first()
        if unit_group is None:
            raise CommandError(f"Không có khối “{group}”.")
        scores = read_or_fail(read_survey, file, period, unit_group)
        changed = write_or_fail(import_survey, period, unit_group, scores)
        self.stdout.write(f"Đã nhập kết quả điều tra: {changed} ô thay đổi.")
