from django.core.management.base import BaseCommand

from parindex.core.excel.workbooks import read_criteria
from parindex.core.management.commands._excel import read_or_fail, write_or_fail
from parindex.core.services.imports import import_criteria


class Command(BaseCommand):
    help = "Nhập một bộ tiêu chí từ Excel (trang “Thông tin” và “Tiêu chí”)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        criteria_set, changed = write_or_fail(import_criteria, read_or_fail(read_criteria, file))
        state = "Đã nhập" if changed else "Không thay đổi"
        self.stdout.write(f"{state}: {criteria_set}.")
