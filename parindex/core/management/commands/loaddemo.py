from django.core.management.base import BaseCommand

from parindex.core.demo import load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (TP.HCM, năm 2021 và 2022). Chạy lại không thay đổi gì."

    def handle(self, *args, **options):
        changed = load_demo(out=self.stdout.write)
        if not changed:
            self.stdout.write("Dữ liệu mẫu đã có; không thay đổi gì.")
