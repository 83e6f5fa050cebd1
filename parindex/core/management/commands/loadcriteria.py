import json

from django.core.management.base import BaseCommand, CommandError

from parindex.core.services import WorkflowError
from parindex.core.services.criteria import load_criteria_set


class Command(BaseCommand):
    help = "Nạp một bộ tiêu chí từ tệp JSON (dạng fixtures/criteria/*.json)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as error:
            raise CommandError(f"Không đọc được tệp {file}: {error}") from None
        try:
            criteria_set, changed = load_criteria_set(data)
        except WorkflowError as error:
            raise CommandError(str(error)) from None
        state = "Đã nạp" if changed else "Không thay đổi"
        self.stdout.write(f"{state}: {criteria_set} ({criteria_set.criteria.count()} tiêu chí).")
