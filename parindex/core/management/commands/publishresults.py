import datetime

from django.core.management.base import BaseCommand, CommandError

from parindex.core.management.commands._period import get_period
from parindex.core.models import PeriodGroup
from parindex.core.services import WorkflowError
from parindex.core.services.results import finalise_group, finalise_period, publish_results


class Command(BaseCommand):
    help = (
        "Công bố (đóng băng) kết quả đã chốt của một kỳ đánh giá: mọi khối đã chốt, hoặc một "
        "khối với --group."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--group", default="", help="Mã khối (mặc định: mọi khối đã chốt).")
        parser.add_argument("--decision", default="", help="Số quyết định công bố.")
        parser.add_argument(
            "--date", default="", help="Ngày quyết định, dạng YYYY-MM-DD (mặc định: hôm nay)."
        )
        parser.add_argument(
            "--finalise", action="store_true", help="Chốt kết quả trước khi công bố."
        )

    def handle(self, *args, year, group, decision, date, finalise, **options):
        period = get_period(year)
        decision_date = None
        if date:
            try:
                decision_date = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"Ngày “{date}” không đúng dạng YYYY-MM-DD.") from None
        period_group = None
        if group:
            period_group = PeriodGroup.objects.filter(period=period, group__code=group).first()
            if period_group is None:
                raise CommandError(f"Kỳ đánh giá năm {year} không có khối “{group}”.")
        try:
            if finalise:
                if period_group is not None:
                    finalise_group(period, period_group.group_id)
                else:
                    finalise_period(period)
            published = publish_results(
                period,
                decision_number=decision,
                decision_date=decision_date,
                group=period_group.group_id if period_group else None,
            )
        except WorkflowError as error:
            raise CommandError(str(error)) from None
        groups = ", ".join(rs.group.code for rs in published)
        self.stdout.write(f"Đã công bố kết quả năm {year}: khối {groups}.")
