from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpis.library import LAYOUTS
from kpis.national_services import national_statistics_import
from kpis.statistics import StatisticsProblem


class Command(BaseCommand):
    help = (
        "Import files downloaded from Explore Education Statistics (see README.md for where each comes from). "
        "Each file is imported all or nothing; a file already imported changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        failed = False
        for path in options["files"]:
            try:
                with path.open("rb") as stream:
                    record = national_statistics_import(
                        user=None, partnership=None, file_name=path.name, stream=stream
                    )
            except (OSError, StatisticsProblem, ValidationError) as problem:
                failed = True
                self.stderr.write(f"{path}: {' '.join(getattr(problem, 'messages', [str(problem)]))}")
                continue
            skipped = ", ".join(f"{count} {reason}" for reason, count in record.skipped.items())
            self.stdout.write(
                f"{path}: {LAYOUTS[record.layout].title}: {record.rows_read} rows read, {record.rows_used} used"
                + (f" ({skipped} skipped)" if skipped else "")
                + f"; {record.values_added} values added, {record.values_revised} revised, "
                f"{record.values_unchanged} unchanged"
            )
        if failed:
            raise CommandError("Some files were not imported: see above")
