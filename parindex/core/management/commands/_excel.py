"""Shared handling of Excel files for the import and export commands."""

from django.core.management.base import CommandError

from parindex.core.excel.reading import ImportProblems
from parindex.core.services import WorkflowError


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


def save(path, content: bytes, stdout) -> None:
    with open(path, "wb") as handle:
        handle.write(content)
    stdout.write(f"Đã ghi {path} ({len(content) // 1024} KB).")
