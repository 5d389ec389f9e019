"""Spreadsheet files in management commands: read, write and import, failing in Chinese."""

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zwgk.utils.tabular import Row, Table, TabularError, read_table, table_format

R = TypeVar("R")


def read_table_file(file: Path) -> Table:
    """``file`` read by :func:`read_table`; a file that cannot be read fails the command."""
    try:
        with file.open("rb") as stream:
            return read_table(stream, file.name)
    except OSError as exc:
        raise CommandError(f"无法打开文件 {file}：{exc.strerror}") from None
    except TabularError as exc:
        raise CommandError(str(exc)) from None


def write_table_file(file: Path, write: Callable[..., None], *args: Any) -> None:
    """``write(stream, fmt, *args)`` into ``file``, ``fmt`` (xlsx or csv) from its extension."""
    try:
        fmt = table_format(file.name)
        with file.open("wb") as stream:
            write(stream, fmt, *args)
    except TabularError as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(f"无法写入文件 {file}：{exc.strerror}") from None


def import_table_file(command: BaseCommand, file: Path, do_import: Callable[[list[Row]], R]) -> R:
    """Run ``do_import`` on the rows of ``file`` and print each row's outcome.

    ``do_import`` saves all rows or, raising ``ValidationError``, none: its
    messages (one per row error) go to stderr and the command fails.
    """
    table = read_table_file(file)
    command.stdout.write(f"读取 {file}：{len(table.rows)} 行数据。")
    try:
        result = do_import(table.rows)
    except ValidationError as exc:
        for message in exc.messages:
            command.stderr.write(message)
        raise CommandError(f"导入失败：{len(exc.messages)} 处错误，未保存任何数据。") from None
    for outcome in result.outcomes:
        changed = f"（{'、'.join(outcome.changed)}）" if outcome.changed else ""
        command.stdout.write(
            f"第{outcome.number}行\t{outcome.status.label}\t{outcome.name}{changed}"
        )
    return result
