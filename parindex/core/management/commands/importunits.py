from django.core.management.base import BaseCommand

from parindex.core.excel.workbooks import read_units
from parindex.core.management.commands._excel import read_or_fail, write_or_fail
from parindex.core.services.imports import import_units


class Command(BaseCommand):
    help = "Nhập danh sách đơn vị từ Excel (trang “Đơn vị”)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        units, groups = read_or_fail(read_units, file)
        count = write_or_fail(import_units, units, groups)
        self.stdout.write(f"Đã nhập {count} đơn vị.")
