from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from fazhi.review.cli import main


class Command(BaseCommand):
    help = "Review published annual reports: `review FILE… [--previous FILE] [--json]`."

    def add_arguments(self, parser: CommandParser) -> None:
        # Everything after the first file goes to the reviewer's own parser (fazhi.review.cli).
        parser.add_argument(
            "words", nargs=argparse.REMAINDER, help="FILE… [--previous FILE] [--json]"
        )

    def run_from_argv(self, argv: list[str]) -> None:
        # The reviewer has its own argument parser (fazhi.review.cli) and lives without Django;
        # hand it the words as typed. Exit status 1 means findings of severity "error".
        self.stdout.ending = ""  # the reviewer writes its own line ends (and JSON in chunks)
        sys.exit(main(_with_local_deadline(argv[2:]), cast(TextIO, self.stdout)))

    def handle(self, *args: Any, **options: Any) -> None:
        words = list(options.get("words") or []) or [str(a) for a in args]
        self.stdout.ending = ""
        main(_with_local_deadline(words), cast(TextIO, self.stdout))


def _with_local_deadline(words: list[str]) -> list[str]:
    """The installation's township deadline (a setting) unless the user gave one."""
    if any(w.startswith("--township-deadline") for w in words) or words in (["-h"], ["--help"]):
        return words
    month, day = settings.FAZHI_XXGK_TOWNSHIP_REPORT_DEADLINE
    return [*words, "--township-deadline", f"{month:02d}-{day:02d}"]
