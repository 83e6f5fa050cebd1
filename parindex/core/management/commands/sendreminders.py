import datetime

from django.core.management.base import BaseCommand, CommandError

from parindex.core import clock
from parindex.core.services.notifications import send_pending_emails
from parindex.core.services.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Gửi các nhắc việc đến hạn (mở kỳ tự đánh giá; còn 7, 3, 1 ngày đến hạn tự đánh giá "
        "hoặc hạn giải trình) vào hộp thông báo và thư điện tử. Chạy hằng ngày; chạy lại không "
        "gửi trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", default="", help="Coi hôm nay là ngày này, dạng YYYY-MM-DD (chạy bù, thử)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ liệt kê, không ghi và không gửi gì."
        )

    def handle(self, *args, date, dry_run, **options):
        today = clock.today()
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"Ngày “{date}” không đúng dạng YYYY-MM-DD.") from None
        told = send_reminders(today, dry_run=dry_run)
        for reminder, count in told:
            self.stdout.write(
                f"{reminder.assessment.unit.code}: {reminder.message()['title']} ({count} người)"
            )
        people = sum(count for _reminder, count in told)
        if dry_run:
            self.stdout.write(f"Sẽ gửi {len(told)} nhắc việc tới {people} lượt người (chưa gửi).")
            return
        emails = send_pending_emails()
        self.stdout.write(
            f"Đã gửi {len(told)} nhắc việc tới {people} lượt người; {emails} thư điện tử."
        )
