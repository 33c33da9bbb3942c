"""How fast are the 法治政府建设情况报告 of a city's units?

Builds a synthetic city year over N 街道 of one district (default 240 = a city) with every
ledger populated at DESIGN §6 scale divided by 240/N: 2M hotline orders (loaded with COPY
through the import's own rules, `bench/_hotline.py`), 50k mediations, 30k petitions, 10k
disclosure applications, and 200 普法 activities a unit. Then times:
- every unit's report as data (`fazhi.core.reports.fazhi.build(...).as_json()`), the district's
  own (its streets summed through core.metrics) included, and the same as .docx;
- one hand-written SQL pass per ledger table (GROUP BY unit_id, FILTERed counts) computing the
  figures the reports print for all units: the hotline's six, 政府信息公开 new requests,
  信访 received, 调解件数, 普法活动场次 and 参与人次 (asserted equal to the reports' figures).
Prints the per-report time and the ratio reports / SQL pass. The passages' other figures
(rates with joins or Sums) are computed by the reports but not by the baseline, which makes
the ratio an upper bound. Usage: python bench/fazhi_report_bench.py [--units N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._db import best_of, setup_django, test_database

YEAR = 2025
CITY_UNITS = 240
SCALE = {"orders": 2_000_000, "mediations": 50_000, "petitions": 30_000, "applications": 10_000}
ACTIVITIES_PER_UNIT = 200
DUTIES_PER_UNIT = 20  # the principal leaders' duty log (oversight)
RECTIFICATIONS_PER_UNIT = 10


def _first(model: Any, field: str) -> str:
    return str(model._meta.get_field(field).choices[0][0])


def _day(rng: random.Random) -> dt.date:
    return dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randint(0, 364))


def populate(n: int) -> tuple[Any, list[Any], dict[str, int]]:
    from bench import _hotline
    from fazhi.core.tenancy.models import OrgUnit
    from fazhi.ledgers.disclosure.models import ApplicantCategory, Application, Status
    from fazhi.ledgers.mediation.models import Case, Committee
    from fazhi.ledgers.oversight.models import LeaderDuty, Rectification
    from fazhi.ledgers.petitions.models import Petition
    from fazhi.ledgers.pufa.models import Activity

    top = OrgUnit.objects.create(code="D", name="基准区", kind="district")
    streets = [
        OrgUnit.objects.create(code=f"S{i:03d}", name=f"第{i}街道", kind="street", parent=top)
        for i in range(n)
    ]
    counts = {k: v * n // CITY_UNITS for k, v in SCALE.items()}
    counts["activities"] = ACTIVITIES_PER_UNIT * n
    counts["duties"] = DUTIES_PER_UNIT * n
    counts["rectifications"] = RECTIFICATIONS_PER_UNIT * n
    rng = random.Random(7)
    _hotline.load_orders(counts["orders"], streets)
    Application.objects.bulk_create(
        (
            Application(
                unit=streets[i % n], number=f"A{i}", received_on=_day(rng),
                status=Status.RECEIVED, applicant_category=rng.choice(ApplicantCategory.values),
                applicant_name="某", content="x",
            )
            for i in range(counts["applications"])
        ),
        batch_size=2000,
    )  # fmt: skip
    Petition.objects.bulk_create(
        (
            Petition(
                unit=streets[i % n], number=f"P{i}", received_on=_day(rng),
                status=_first(Petition, "status"), stage=_first(Petition, "stage"),
                form=rng.choice(Petition._meta.get_field("form").choices)[0],
                source=_first(Petition, "source"), category=_first(Petition, "category"),
                content="x",
            )
            for i in range(counts["petitions"])
        ),
        batch_size=2000,
    )  # fmt: skip
    committees = Committee.objects.bulk_create(
        Committee(
            unit=s, number=f"C{i}", status=_first(Committee, "status"), name=f"{s.name}调委会",
            kind=_first(Committee, "kind"), term_start=dt.date(YEAR - 1, 1, 1),
        )
        for i, s in enumerate(streets)
    )  # fmt: skip
    Case.objects.bulk_create(
        (
            Case(
                unit=streets[i % n], committee=committees[i % n], number=f"M{i}",
                received_on=_day(rng), status=_first(Case, "status"),
                source=_first(Case, "source"), dispute_type=_first(Case, "dispute_type"),
                summary="x",
            )
            for i in range(counts["mediations"])
        ),
        batch_size=2000,
    )  # fmt: skip
    Activity.objects.bulk_create(
        (
            Activity(
                unit=streets[i % n], number=f"H{i}", held_on=_day(rng),
                status=_first(Activity, "status"), title="普法宣传", theme="constitution_week",
                form=_first(Activity, "form"), venue="社区", audience=_first(Activity, "audience"),
                attendance=rng.randint(20, 200),
            )
            for i in range(counts["activities"])
        ),
        batch_size=2000,
    )  # fmt: skip
    kinds = ["meeting", "shufa", "instruction", "study", "court"]
    LeaderDuty.objects.bulk_create(
        (
            LeaderDuty(
                unit=streets[i % n], number=f"LZ{i}", held_on=_day(rng), status="registered",
                leader="某某", post="主任", kind=kinds[i % 5], subject="研究法治工作",
                case_number="（2025）行初1号" if kinds[i % 5] == "court" else "",
            )
            for i in range(counts["duties"])
        ),
        batch_size=2000,
    )  # fmt: skip
    items = []
    for i in range(counts["rectifications"]):
        fed = _day(rng)
        deadline = fed + dt.timedelta(days=rng.randint(10, 120))
        done = deadline - dt.timedelta(days=rng.randint(-10, 9)) if i % 3 else None
        items.append(
            Rectification(
                unit=streets[i % n], number=f"ZG{i}", status="done" if done else "pending",
                source="inspection", fed_back_on=fed, problem="执法案卷不规范", measures="整改",
                department="综合执法队", owner="某某", deadline=deadline,
                done_on=max(done, fed) if done else None, evidence="已整改" if done else "",
            )
        )  # fmt: skip
    Rectification.objects.bulk_create(items, batch_size=2000)
    return top, streets, counts


def by_sql(unit_ids: list[int]) -> dict[int, dict[str, int | tuple[int, int]]]:
    """The figures by hand: one GROUP BY pass per ledger table for all units."""
    from django.db import connection

    from bench.hotline_indicators_bench import by_sql as hotline_sql
    from fazhi.ledgers.disclosure.models import Application
    from fazhi.ledgers.mediation.models import Case
    from fazhi.ledgers.oversight.models import LeaderDuty
    from fazhi.ledgers.petitions.models import Petition
    from fazhi.ledgers.pufa.models import Activity

    found: dict[int, dict[str, int | tuple[int, int]]] = {u: {} for u in unit_ids}
    for uid, figures in hotline_sql(unit_ids).items():
        found[uid].update(figures)
    ids = ", ".join(str(u) for u in unit_ids)
    first, last = f"'{YEAR}-01-01'", f"'{YEAR}-12-31'"
    simple = [
        (Application, "received_on", "xxgk.new_requests", ""),
        (Petition, "received_on", "xf.received", ""),
        (Case, "received_on", "med.cases", ""),
        (Activity, "held_on", "pufa.activities", "pufa.attendance"),
    ]
    with connection.cursor() as cur:
        for model, field, code, summed in simple:
            extra = (
                f", coalesce(sum(attendance) FILTER (WHERE {field} BETWEEN {first} AND {last}), 0)"
            )
            cur.execute(
                f"SELECT unit_id, count(*) FILTER (WHERE {field} BETWEEN {first} AND {last})"
                f"{extra if summed else ''} FROM {model._meta.db_table} "
                f"WHERE voided_at IS NULL AND unit_id IN ({ids}) GROUP BY unit_id"
            )
            for row in cur.fetchall():
                found[row[0]][code] = int(row[1])
                if summed:
                    found[row[0]][summed] = int(row[2])
        kinds = {"meeting": "meetings", "shufa": "shufa", "instruction": "instructions",
                 "study": "study", "court": "court"}  # fmt: skip
        cur.execute(
            "SELECT unit_id, "
            + ", ".join(
                f"count(*) FILTER (WHERE kind = '{k}' AND held_on BETWEEN {first} AND {last})"
                for k in kinds
            )
            + f" FROM {LeaderDuty._meta.db_table} WHERE voided_at IS NULL AND unit_id IN ({ids})"
            " GROUP BY unit_id"
        )
        for row in cur.fetchall():
            for value, name in zip(row[1:], kinds.values(), strict=True):
                found[row[0]][f"oversight.{name}"] = int(value)
    return found


def reports(units: list[Any]) -> list[Any]:
    from fazhi.core.web.fazhi_report import build

    return [build(u, YEAR) for u in units]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=CITY_UNITS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from fazhi.core.reports.render_docx import render_docx

    with test_database():
        start = time.perf_counter()
        top, streets, counts = populate(args.units)
        loaded = time.perf_counter() - start
        units = [*streets, top]
        ids = [s.pk for s in streets]
        built = reports(units)
        theirs = by_sql(ids)
        for report in built[:-1]:
            for code, value in theirs[report.unit.pk].items():
                figure = report.figures[code]
                ours = (
                    (figure.numerator, figure.denominator)
                    if isinstance(value, tuple)
                    else figure.value
                )
                if isinstance(value, tuple) and value[1] == 0 and code == "hotline.orders":
                    ours = (int(figure.value), 0)
                assert ours == value, (report.unit.code, code, ours, value)
        district = built[-1]
        assert district.figures["xf.received"].value == counts["petitions"]
        assert len(district.streets) == args.units
        t_data = best_of(lambda: [r.as_json() for r in reports(units)], args.repeat)
        t_sql = best_of(lambda: by_sql(ids), args.repeat)
        t_docx = best_of(lambda: [render_docx(r.document(None)) for r in reports(units)], 1)
        n = len(units)
        print(
            f"engine: {connection.vendor}; {args.units} streets + the district; year {YEAR}: "
            + ", ".join(f"{k} {v}" for k, v in counts.items())
            + f" (loaded in {loaded:.0f} s); figures equal to the SQL pass for every street"
        )
        print(
            f"all {n} reports as data:            {t_data * 1000:9.1f} ms  ({t_data / n * 1000:.1f} ms a report)"
        )
        print(
            f"all {n} reports as .docx:           {t_docx * 1000:9.1f} ms  ({t_docx / n * 1000:.1f} ms a report; bar < 1000)"
        )
        print(f"one hand-written SQL pass (baseline): {t_sql * 1000:7.1f} ms")
        print(f"ratio reports as data / SQL pass: {t_data / t_sql:.2f}")


if __name__ == "__main__":
    main()
