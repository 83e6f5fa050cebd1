import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from parindex.core.management.commands._period import get_period
from parindex.core.models import AuditEntry, Unit


class Command(BaseCommand):
    help = "In nhật ký thay đổi của một đơn vị trong một kỳ đánh giá (ai, khi nào, cũ → mới)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("unit", help="Mã đơn vị")

    def handle(self, *args, year, unit, **options):
        period = get_period(year)
        target = Unit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(f"Không có đơn vị mã “{unit}”.")
        entries = (
            AuditEntry.objects.for_unit(target, period)
            .select_related("actor")
            .order_by("created_at", "id")
        )
        for entry in entries:
            when = timezone.localtime(entry.created_at).strftime("%d/%m/%Y %H:%M:%S")
            who = entry.actor.get_username() if entry.actor else "hệ thống"
            changes = json.dumps(entry.changes, ensure_ascii=False) if entry.changes else ""
            self.stdout.write(f"{when}  {who:<16} {entry.action:<22} {changes} {entry.message}")
        self.stdout.write(f"{entries.count()} dòng nhật ký — {target.name}, năm {year}.")
