"""A department's deadline rush on the embedded SQLite default, in a process of its own.

``tests/core/test_sqlite_rush.py`` runs ``python -m tests.core.sqlite_rush`` with ``DATA_DIR`` set
to a temporary folder and no ``DATABASE_URL``, so the database is a real file opened with exactly
the settings a fresh installation uses (the test puts there a copy of the file a fresh clone's
``manage.py migrate`` wrote: the script's own migrate has nothing left to do). Twenty officers
of twenty units save leaves at the same moment, each thread with its own connection; the script
prints how many saves were written and every error a save met, as JSON.
"""

import json
import os
import threading

WRITERS = 20
ROUNDS = 8


def build_world():
    from django.conf import settings
    from django.core.management import call_command

    from tests.builders import FAST_HASHERS, assess, leaf_of, make_unit, make_user, open_period

    settings.PASSWORD_HASHERS = FAST_HASHERS
    call_command("migrate", verbosity=0)
    period = open_period(2023)
    leaf = leaf_of(period, "1.2.1")
    world = []
    for number in range(WRITERS):
        unit = make_unit(f"U{number:02d}")
        officer = make_user(f"canbo{number:02d}", "officer", unit)
        world.append((assess(period, unit, status="draft"), officer))
    return leaf, world


def writer(assessment, officer, leaf, barrier, saved, errors):
    from django.db import connection

    from parindex.core.services.assessments import save_self_score

    revision = 0
    try:
        barrier.wait()
        for round_ in range(ROUNDS):
            try:
                entry = save_self_score(
                    assessment,
                    leaf,
                    by=officer,
                    points_text=str(round_ + 1),
                    note=f"Lần lưu {round_ + 1}",
                    revision=revision,
                )
            except Exception as error:  # every refusal is what we count
                errors.append(f"{type(error).__name__}: {error}")
            else:
                revision = entry.revision
                saved.append(entry.pk)
    finally:
        connection.close()


def main():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parindex.settings")
    django.setup()
    leaf, world = build_world()
    saved, errors = [], []
    barrier = threading.Barrier(WRITERS)
    threads = [
        threading.Thread(target=writer, args=(a, officer, leaf, barrier, saved, errors))
        for a, officer in world
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    from parindex.core.models import AuditEntry

    audited = AuditEntry.objects.filter(action="score.changed").count()
    print(json.dumps({"saved": len(saved), "audited": audited, "errors": errors}))


if __name__ == "__main__":
    main()
