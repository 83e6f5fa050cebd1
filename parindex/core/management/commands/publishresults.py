from django.core.management.base import BaseCommand, CommandError

from parindex.core.management.commands._period import get_period
from parindex.core.services import WorkflowError
from parindex.core.services.results import finalise_period, publish_results


class Command(BaseCommand):
    help = "Công bố (đóng băng) kết quả của một kỳ đánh giá đã chốt."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--decision", default="", help="Số quyết định công bố.")
        parser.add_argument(
            "--finalise", action="store_true", help="Chốt kết quả trước khi công bố."
        )

    def handle(self, *args, year, decision, finalise, **options):
        period = get_period(year)
        try:
            if finalise:
                period = finalise_period(period)
            publish_results(period, decision_number=decision)
        except WorkflowError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Đã công bố kết quả năm {year}.")
