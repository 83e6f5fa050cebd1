"""``manage.py worker``: the worker for long jobs, as ``make run`` and the production service
start it.

It is django-tasks' ``db_worker`` (same options), started again after a pause when the
database stops answering its poll: SQLite locked by another writer past its timeout, a
PostgreSQL restart or a dropped connection. ``db_worker`` itself exits then (its poll catches a
lock only inside the transaction it has begun, not the BEGIN), and jobs would wait in the queue
until someone noticed. A task's own errors never get here: the worker records them on the job.
"""

import logging
import time

from django.db import OperationalError, connections
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

logger = logging.getLogger("parindex.worker")

PAUSE_SECONDS = 2  # before polling again after the database did not answer


class Command(DatabaseWorker):
    help = (
        "Chạy các việc dài trong hàng đợi (db_worker của django-tasks, cùng tùy chọn); tự chạy "
        "lại sau một lúc khi cơ sở dữ liệu tạm không trả lời."
    )

    def handle(self, **options):
        while True:
            try:
                return super().handle(**options)
            except OperationalError as error:
                logger.warning(
                    "the worker's database did not answer (%s); polling again in %s s",
                    error,
                    PAUSE_SECONDS,
                )
                connections.close_all()  # a broken connection is opened anew
                time.sleep(PAUSE_SECONDS)
