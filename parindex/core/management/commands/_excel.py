"""Shared handling of Excel files for the import and export commands."""

from django.core.management.base import CommandError

from parindex.core.excel.reading import ImportProblems
from parindex.core.services import WorkflowError
from parindex.core.services.import_changes import describe_unit


def add_change_options(parser, replaced: str) -> None:
    """Add ``--replace`` (overwrite ``replaced``: values entered in the application that the
    file changes) and ``--preview`` (show the changes, write nothing)."""
    parser.add_argument(
        "--replace",
        action="store_true",
        help=f"Ghi đè cả những {replaced} đã nhập trong ứng dụng mà tệp thay đổi.",
    )
    parser.add_argument(
        "--preview", action="store_true", help="Chỉ xem trước những thay đổi, không ghi gì."
    )


def read_or_fail(reader, path, *args):
    """Run ``reader`` on the file at ``path``; stop with every problem listed."""
    try:
        with open(path, "rb") as handle:
            return reader(handle, *args)
    except OSError as error:
        raise CommandError(f"Không mở được tệp {path}: {error}") from None
    except ImportProblems as problems:
        raise CommandError(
            f"Tệp có {len(problems.problems)} lỗi, không nhập gì:\n"
            + "\n".join(f"- {p}" for p in problems.problems)
        ) from None


def write_or_fail(service, *args, **kwargs):
    try:
        return service(*args, **kwargs)
    except WorkflowError as error:
        raise CommandError(str(error)) from None


def changes_report(changes) -> str:
    """What an import changed (or would change): the summary, then one line per change."""
    lines = [changes.summary]
    lines += [f"- {s.label}: {s.old} → {s.new}" for s in changes.settings]
    if not changes.period_created:  # a new period: every unit is new, the summary says it
        lines += [f"- {describe_unit(u)}" for u in changes.changed_units]
    return "\n".join(lines)


def save(path, content: bytes, stdout) -> None:
    with open(path, "wb") as handle:
        handle.write(content)
    stdout.write(f"Đã ghi {path} ({len(content) // 1024} KB).")
