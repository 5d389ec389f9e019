import json
import sys
from collections.abc import Iterator

from django.core.management.base import BaseCommand

from zwgk.records.docnum import parse_docnum


class Command(BaseCommand):
    help = "发文字号（文号）：解析并规范化，逐行输出 JSON。"

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        parse = commands.add_parser(
            "parse", help="解析文号，每个输入输出一行 JSON（不是文号的各项为 null）"
        )
        parse.add_argument(
            "texts", nargs="+", metavar="TEXT", help="文号；“-”表示从标准输入逐行读取"
        )

    def handle(self, *args, subcommand, texts, **options):
        for text in inputs(texts):
            self.stdout.write(json.dumps(describe(text), ensure_ascii=False))


def inputs(texts: list[str]) -> Iterator[str]:
    """The arguments, with ``-`` replaced by the lines of standard input."""
    for text in texts:
        if text == "-":
            yield from sys.stdin.read().splitlines()
        else:
            yield text


def describe(text: str) -> dict[str, object]:
    parsed = parse_docnum(text)
    return {
        "input": text,
        "issuer_code": parsed.issuer_code if parsed else None,
        "year": parsed.year if parsed else None,
        "number": parsed.number if parsed else None,
        "kind": parsed.kind.value if parsed else None,
        "normalized": parsed.normalized if parsed else None,
    }
