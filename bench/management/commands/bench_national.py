"""`make bench`: a national statistics file of 150,000 rows, imported as an operator imports it, then the board
pages with every local authority's ten years of values in place.

It drops and recreates the database named in DATABASE_URL, which must end in "_bench", builds the 153 bench
partnerships (bench/data.py), gives each a real local authority's code, three adopted national indicators and ten
statistical neighbours, and times the board pages. It then writes the SEN2 caseload file for England, its regions
and the 153 local authorities over ten years (bench/national_data.py), imports it with `manage.py
import_national_statistics` in a child process (the service the admin's background job runs too), and records the
child's wall time and peak resident memory; imports the same file again (which must change nothing) and a revised
release; and times the board pages again. The figures go to var/bench/national.json.
"""

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from bench import data as bench
from bench import national_data
from bench.management.commands.bench_dashboards import fresh_database, signed_in_client, time_pages
from core.models import Membership, Organisation, Partnership, Role, User
from kpis.library import LAYOUTS, measures_of
from kpis.models import Comparator, Indicator, Return
from kpis.national import NationalValue, StatisticalNeighbour, StatisticsImport
from kpis.national_services import national_indicator_adopt
from people.local_authorities import local_authorities

TIME = "/usr/bin/time"  # GNU time: `make bench` installs it
OUTPUT = Path(settings.BASE_DIR) / "var" / "bench" / "national.json"
FILES = Path(settings.BASE_DIR) / "var" / "bench" / "national"
PARTNERSHIPS = 153
NEIGHBOURS = 10
TARGET_SECONDS = 60
TARGET_MIB = 500
SLOWER = 1.25  # a page whose p95 grows by more than a quarter with the national values has grown noticeably


class Command(BaseCommand):
    help = "Time the import of a national statistics file of 150,000 rows, and the board pages beside its values."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--rows", type=int, default=national_data.ROWS)
        parser.add_argument("--requests", type=int, default=200)
        parser.add_argument("--warm-up", type=int, default=20)

    def handle(self, *args: object, **options: Any) -> None:
        name = fresh_database(self.stdout.write)
        started = time.perf_counter()
        partnership = self.build_partnerships()
        self.analyze()
        results: dict[str, Any] = {
            "database": name,
            "load_average_at_start": os.getloadavg(),
            "cores": os.cpu_count(),
            "partnerships": PARTNERSHIPS,
            "generation_seconds": round(time.perf_counter() - started, 1),
            "targets": {"import_seconds": TARGET_SECONDS, "import_peak_rss_mib": TARGET_MIB},
            "requests": options["requests"],
            "warm_up": options["warm_up"],
        }
        pages = self.pages(partnership)
        self.stdout.write("Board pages, no national values imported:")
        member = User.objects.get(email=f"board@bench{partnership.pk}.example.org")

        def timed() -> dict[str, dict[str, float | int]]:
            client = signed_in_client(member)
            return time_pages(client, pages, options["requests"], options["warm_up"], self.stdout.write)

        before = timed()

        first, revised = FILES / "caseload.csv", FILES / "caseload_revised.csv"
        started = time.perf_counter()
        rows = national_data.write_file(first, options["rows"])
        national_data.write_file(revised, options["rows"], revised=True)
        results["file"] = {
            "layout": LAYOUTS["sen2_caseload"].title,
            "rows": rows,
            "bytes": first.stat().st_size,
            "areas": "England, 9 regions, 153 local authorities",
            "years": national_data.YEARS,
            "written_seconds_both_files": round(time.perf_counter() - started, 1),
        }
        self.stdout.write(f"Wrote {rows} rows twice in {results['file']['written_seconds_both_files']} s")

        results["import"] = self.import_child(first)
        results["import"]["stored"] = stored = self.stored()
        results["same_file_again"] = again = self.import_child(first)
        again["changed_nothing"] = again["exit_code"] != 0 and self.stored() == stored
        results["revised_release"] = self.import_child(revised)
        results["revised_release"]["stored"] = self.stored()

        self.analyze()
        self.stdout.write("Board pages, ten years of national values for every area:")
        after = timed()
        results["pages"] = {
            page: {
                "without_national_values": before[page],
                "with_national_values": after[page],
                "same_queries": before[page]["queries"] == after[page]["queries"],
                "p95_ratio": round(after[page]["p95_ms"] / before[page]["p95_ms"], 2),
            }
            for page in pages
        }
        results["load_average_at_end"] = os.getloadavg()
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(json.dumps(results, indent=2) + "\n")
        self.report(results)
        self.stdout.write(f"Wrote {OUTPUT}")

    def build_partnerships(self) -> Partnership:
        """The bench partnerships, each a real local authority's, with three national indicators adopted from the
        caseload file and its ten statistical neighbours; returns the first."""
        today = timezone.localdate()
        bench.create_partnerships(1, PARTNERSHIPS, today, random.Random(20250601))
        authorities = sorted(local_authorities().values(), key=lambda authority: authority.ons_code)
        partnerships = list(
            Partnership.objects.filter(short_name__startswith="Bench ").order_by("short_name")
        )
        for partnership, authority in zip(partnerships, authorities, strict=True):
            partnership.ons_code, partnership.region = authority.ons_code, authority.region
        Partnership.objects.bulk_update(partnerships, ["ons_code", "region"])
        admin = User.objects.create_user(email="admin@bench.example.org", password=bench.PASSWORD)
        Membership.objects.bulk_create(
            Membership(
                user=admin,
                partnership=partnership,
                organisation=Organisation.objects.get(
                    partnership=partnership, kind=Organisation.Kind.COUNCIL
                ),
                role=Role.ADMIN,
            )
            for partnership in partnerships
        )
        codes = [authority.ons_code for authority in authorities]
        StatisticalNeighbour.objects.bulk_create(
            StatisticalNeighbour(partnership=partnership, code=codes[(n + k) % len(codes)], position=k)
            for n, partnership in enumerate(partnerships)
            for k in range(1, NEIGHBOURS + 1)
        )
        for partnership in partnerships:
            for item in measures_of(LAYOUTS["sen2_caseload"]):
                national_indicator_adopt(user=admin, partnership=partnership, code=item.code)
        return partnerships[0]

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def pages(self, partnership: Partnership) -> dict[str, str]:
        national = Indicator.objects.get(partnership=partnership, national_measure="SEN2_SPECIAL_PC")
        local = (
            Indicator.objects.filter(partnership=partnership, national_measure="").order_by("code").first()
        )
        recommendation = national.partnership.plans.get().recommendations.order_by("number").first()
        assert local and recommendation  # noqa: S101 - generated just before
        return {
            "overview": reverse("boards:overview"),
            "recommendation": reverse("boards:recommendation", args=[recommendation.pk]),
            "indicator_national": reverse("boards:indicator", args=[national.pk]),
            "indicator_national_csv": reverse("boards:indicator_csv", args=[national.pk]),
            "indicator_local": reverse("boards:indicator", args=[local.pk]),
            "indicator_detail_national": national.get_absolute_url(),
        }

    def import_child(self, path: Path) -> dict[str, Any]:
        """Imports a file as an operator does, in a child process: its wall time and its peak resident memory.

        GNU time runs the command and reports both: the bench process's own rusage of a child it forked would
        count its own memory at the fork as the child's peak."""
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "import_national_statistics"]
        last = StatisticsImport.objects.order_by("pk").last()
        with tempfile.NamedTemporaryFile("w+") as timed, tempfile.TemporaryFile("w+") as output:
            child = subprocess.run(  # noqa: S603 - our own command, with our own file
                [TIME, "-f", "%e %M %U %S", "-o", timed.name, *command, str(path)],
                stdout=output,
                stderr=subprocess.STDOUT,
                check=False,
            )
            seconds, kib, user, system = (float(n) for n in Path(timed.name).read_text().split()[-4:])
            output.seek(0)
            said = output.read().strip()
        record = StatisticsImport.objects.order_by("pk").last()
        figures: dict[str, Any] = {
            "file": path.name,
            "exit_code": child.returncode,
            "output": said,
            "wall_seconds": round(seconds, 1),
            "peak_rss_mib": round(kib / 1024, 1),
            "cpu_seconds": round(user + system, 1),
            "load_average": os.getloadavg(),
        }
        if record and record != last and record.finished_at:
            figures["service_seconds"] = round((record.finished_at - record.imported_at).total_seconds(), 1)
            figures["values"] = {
                "added": record.values_added,
                "revised": record.values_revised,
                "unchanged": record.values_unchanged,
            }
        self.stdout.write(
            f"Imported {path.name}: {figures['wall_seconds']} s, {figures['peak_rss_mib']} MiB: {said[-200:]}"
        )
        return figures

    def stored(self) -> dict[str, int]:
        return {
            "national_values": NationalValue.objects.count(),
            "current": NationalValue.objects.filter(current=True).count(),
            "last_id": NationalValue.objects.order_by("pk").values_list("pk", flat=True).last() or 0,
            "published_returns": Return.objects.filter(indicator__national_measure__gt="").count(),
            "comparators": Comparator.objects.filter(indicator__national_measure__gt="").count(),
        }

    def report(self, results: dict[str, Any]) -> None:
        first, again = results["import"], results["same_file_again"]

        def met(ok: bool) -> str:
            return "met" if ok else "NOT MET"

        lines = [
            "",
            f"{'':34}{'measured':>12}{'target':>10}",
            f"{'import of ' + str(results['file']['rows']) + ' rows, wall':34}{first['wall_seconds']:>10} s"
            f"{'≤ ' + str(TARGET_SECONDS) + ' s':>10}  {met(first['wall_seconds'] <= TARGET_SECONDS)}",
            f"{'import, peak resident memory':34}{first['peak_rss_mib']:>8} MiB"
            f"{'≤ ' + str(TARGET_MIB) + ' MiB':>10}  {met(first['peak_rss_mib'] <= TARGET_MIB)}",
            f"{'same file again':34}{again['wall_seconds']:>10} s  changed nothing: "
            f"{met(again['changed_nothing'])}",
            f"{'revised release':34}{results['revised_release']['wall_seconds']:>10} s  "
            f"{results['revised_release'].get('values', {})}",
            "",
            f"{'page':24}{'queries':>14}{'p95 ms without':>16}{'p95 ms with':>13}",
        ]
        for page, figures in results["pages"].items():
            without, with_values = figures["without_national_values"], figures["with_national_values"]
            lines.append(
                f"{page:24}{without['queries']:>6} -> {with_values['queries']:<5}"
                f"{without['p95_ms']:>16}{with_values['p95_ms']:>13}"
                f"  {met(figures['same_queries'] and figures['p95_ratio'] <= SLOWER)}"
            )
        self.stdout.write("\n".join(lines))
