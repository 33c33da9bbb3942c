"""How fast are every open record's clocks recomputed after a calendar change?

Creates N open records (default 100,000) spread over both ledgers — 政府信息公开 applications
(reply in 20 工作日, the 7-工作日 补正告知 window) and 信访 matters accepted for handling (60日,
rolled past holidays) — then times the record kit's `recompute_all_ledgers()` (what a calendar
change runs: derive every declared clock of every open record from its events and write the
caches that moved) against the baseline: `numpy.busday_offset` over the same start dates with
the same holidays and 调休 make-up days, which only computes the due dates. Prints the ratio.

Usage: python bench/recompute_bench.py [--records N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._db import setup_django, test_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    setup_django()
    with test_database():
        run(args.records)


def run(n: int) -> None:
    import numpy as np
    from django.db import transaction

    from fazhi.core.calendar.models import CalendarDay
    from fazhi.core.calendar.service import clear_cache, get_calendar
    from fazhi.core.imports.dbwrite import insert_many
    from fazhi.core.records.clocks import recompute_all_ledgers
    from fazhi.core.tenancy.actions import add_unit
    from fazhi.ledgers.disclosure.models import Application, ApplicationEvent
    from fazhi.ledgers.petitions.models import Petition, PetitionEvent

    rng = random.Random(11)
    district = add_unit(code="BD", name="基准区", kind="district", parent=None, by=None)
    units = [
        add_unit(code=f"BD{i:03d}", name=f"街道{i}", kind="street", parent=district, by=None)
        for i in range(24)
    ]
    first = dt.date(2026, 9, 1)
    starts = [first + dt.timedelta(days=rng.randint(0, 80)) for _ in range(n)]
    half = n // 2
    with transaction.atomic():
        apps = [
            Application(
                unit=units[i % len(units)],
                number=f"B-{i:07d}",
                received_on=starts[i],
                applicant_category="natural_person",
                applicant_name="某",
                content="x",
                status="received",
            )
            for i in range(half)
        ]
        insert_many(Application, apps)
        insert_many(
            ApplicationEvent,
            [ApplicationEvent(record=a, kind="registered", on=a.received_on) for a in apps],
        )
        petitions = [
            Petition(
                unit=units[i % len(units)],
                number=f"P-{i:07d}",
                received_on=starts[i] - dt.timedelta(days=2),
                form="letter",
                source="direct",
                category="appeal",
                content="x",
                status="handling",
            )
            for i in range(half, n)
        ]
        insert_many(Petition, petitions)
        insert_many(
            PetitionEvent,
            [
                e
                for p, i in zip(petitions, range(half, n), strict=True)
                for e in (
                    PetitionEvent(record=p, kind="registered", on=p.received_on),
                    PetitionEvent(record=p, kind="accepted", on=starts[i]),
                )
            ],
        )
    recompute_all_ledgers()  # fill the caches once, as if they had been kept all along

    # The calendar change: a make-up working day (a Saturday) added in the middle of the span,
    # written directly so that the timed recompute below is the one doing the work.
    CalendarDay.objects.create(date=dt.date(2026, 10, 24), kind="workday", name="基准调休")
    clear_cache()
    start = time.perf_counter()
    moved = recompute_all_ledgers()
    kit = time.perf_counter() - start

    cal = get_calendar()
    span = [first + dt.timedelta(days=d) for d in range(-10, 400)]
    off = np.array([d for d in span if not cal.is_workday(d)], dtype="datetime64[D]")
    # Every day is a candidate (weekmask 1111111); the days off are the "holidays", so the 调休
    # Saturdays count exactly as fazhi counts them.
    business = np.busdaycalendar(weekmask="1111111", holidays=off)
    start = time.perf_counter()
    reply_starts = np.array(starts[:half], dtype="datetime64[D]")
    replies = np.busday_offset(reply_starts, 20, roll="backward", busdaycal=business)
    notice = np.busday_offset(reply_starts, 7, roll="backward", busdaycal=business)
    handle = np.array(starts[half:], dtype="datetime64[D]") + np.timedelta64(60, "D")
    handle = np.busday_offset(handle, 0, roll="forward", busdaycal=business)
    baseline = time.perf_counter() - start

    sample = Application.objects.order_by("pk").first()
    assert sample is not None and sample.reply_due_on == replies[0].astype(dt.date), (
        sample.reply_due_on,
        replies[0],
    )
    psample = Petition.objects.order_by("pk").first()
    assert psample is not None and psample.handle_due_on == handle[0].astype(dt.date)
    assert sample.correction_notice_due_on in (None, notice[0].astype(dt.date))
    print(f"records: {n} ({half} applications, {n - half} petitions); cache rows moved: {moved}")
    print(f"record kit recompute_all_ledgers: {kit:.2f} s ({1e6 * kit / n:.0f} µs a record)")
    print(f"numpy.busday_offset, due dates only: {baseline * 1000:.1f} ms")
    print(f"ratio (kit / numpy): {kit / baseline:.0f}")


if __name__ == "__main__":
    main()
