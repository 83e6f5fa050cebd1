from django.core.management.base import BaseCommand, CommandError

from parindex.core.excel.annex import write_annex
from parindex.core.management.commands._excel import save
from parindex.core.management.commands._period import get_period
from parindex.core.models import PeriodGroup, ResultSet
from parindex.core.rankings import league_rows


class Command(BaseCommand):
    help = "Xuất bảng xếp hạng của một khối thành phụ lục quyết định (Excel)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("group")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, year, group, output, **options):
        period = get_period(year)
        period_group = (
            PeriodGroup.objects.filter(period=period, group__code=group)
            .select_related("group")
            .first()
        )
        if period_group is None:
            raise CommandError(f"Năm {year} không có khối “{group}”.")
        results, areas = league_rows(period, period_group)
        current = ResultSet.objects.filter(
            period=period, group=period_group.group, is_current=True
        ).first()
        annex = write_annex(period, period_group, results, areas, result_set=current)
        save(output, annex, self.stdout)
