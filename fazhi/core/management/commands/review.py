from __future__ import annotations

import sys
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandParser

from fazhi.review.cli import main


class Command(BaseCommand):
    help = "Review published annual reports: `review FILE… [--previous FILE] [--json]`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("words", nargs="*", help="FILE… [--previous FILE] [--json] [--lines]")

    def run_from_argv(self, argv: list[str]) -> None:
        # The reviewer has its own argument parser (fazhi.review.cli) and lives without Django;
        # hand it the words as typed. Exit status 1 means findings of severity "error".
        sys.exit(main(argv[2:], cast(TextIO, self.stdout)))

    def handle(self, *args: Any, **options: Any) -> None:
        main([str(a) for a in args] or list(options.get("words") or []), cast(TextIO, self.stdout))
