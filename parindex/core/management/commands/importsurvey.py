from django.core.management.base import BaseCommand, CommandError

from parindex.core.excel.workbooks import read_survey
from parindex.core.management.commands._excel import (
    add_change_options,
    changes_report,
    read_or_fail,
    write_or_fail,
)
from parindex.core.management.commands._period import get_period
from parindex.core.models import UnitGroup
from parindex.core.services.survey_imports import import_survey_changes, preview_survey_import


class Command(BaseCommand):
    help = "Nhập kết quả điều tra xã hội học của một khối trong một kỳ đánh giá."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("group")
        parser.add_argument("file")
        add_change_options(parser, "điểm điều tra")

    def handle(self, *args, year, group, file, replace, preview, **options):
        period = get_period(year)
        unit_group = UnitGroup.objects.filter(code=group).first()
        if unit_group is None:
            raise CommandError(f"Không có khối “{group}”.")
        scores = read_or_fail(read_survey, file, period, unit_group)
        if preview:
            changes = write_or_fail(preview_survey_import, period, unit_group, scores)
            self.stdout.write(f"Xem trước, chưa ghi gì.\n{changes_report(changes)}")
            return
        changes = write_or_fail(
            import_survey_changes, period, unit_group, scores, replace=replace, with_indices=True
        )
        cells = sum(len(u.leaves) for u in changes.units)
        self.stdout.write(
            f"Đã nhập kết quả điều tra: {cells} ô thay đổi.\n{changes_report(changes)}"
        )
