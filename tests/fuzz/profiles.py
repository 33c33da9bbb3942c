"""Hypothesis settings shared by the fuzzers: a short run in the suite, a long one in `make fuzz`.

`HYPOTHESIS_PROFILE=fuzz` (set by `make fuzz`) gives 10 000 examples per parser; the default
gives a few hundred so `make test` stays fast. Every example also runs under an alarm on the
CPU time it uses, so a hang fails the example instead of stalling the run, while a loaded
machine (which stretches the wall clock, not the work) fails nothing; a longer wall-clock alarm
catches a wait that never ends.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
from collections.abc import Iterator

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

settings.register_profile(
    "fuzz-short",
    max_examples=200,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
settings.register_profile(
    "fuzz",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "fuzz-short")
FUZZ = settings.get_profile(PROFILE if PROFILE in ("fuzz", "fuzz-short") else "fuzz-short")
# CPU seconds one example may use: generous in the suite, tight in `make fuzz`. On the wall
# clock it may take WALL_FACTOR times as long (a 2-core machine at load 12 stretched a 1 s read
# of a 1.5 KB workbook padded to a million rows past a 5 s wall-clock alarm).
EXAMPLE_SECONDS = 5 if PROFILE == "fuzz" else 30
WALL_FACTOR = 6


class Hang(Exception):
    """An example used more than EXAMPLE_SECONDS of CPU time (or WALL_FACTOR times that)."""


@contextlib.contextmanager
def within(seconds: float = EXAMPLE_SECONDS) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        if signum == signal.SIGPROF:
            raise Hang(f"example used more than {seconds} s of CPU time")
        raise Hang(f"example ran longer than {seconds * WALL_FACTOR} s")

    timers = (
        (signal.SIGPROF, signal.ITIMER_PROF, seconds),
        (signal.SIGALRM, signal.ITIMER_REAL, seconds * WALL_FACTOR),
    )
    previous = [(signum, signal.signal(signum, expire)) for signum, _, _ in timers]
    for _, timer, limit in timers:
        signal.setitimer(timer, limit)
    try:
        yield
    finally:
        for _, timer, _ in timers:
            signal.setitimer(timer, 0)
        for signum, handler in previous:
            signal.signal(signum, handler)


def mutate(data: bytes, seed: int, flips: int) -> bytes:
    """Flip, drop, duplicate or truncate a few bytes of a valid file."""
    if not data:
        return data
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(flips):
        at = rng.randrange(len(out)) if out else 0
        action = rng.randrange(5)
        if action == 0 and out:
            out[at] ^= 1 << rng.randrange(8)
        elif action == 1 and out:
            out[at] = rng.choice((0, 0xFF, 0x7F, 0x3C, 0x3E, 0x22))
        elif action == 2:
            del out[at : at + rng.randrange(1, 16)]
        elif action == 3:
            out[at:at] = out[at : at + rng.randrange(1, 64)]
        else:
            del out[rng.randrange(len(out) + 1) :]
    return bytes(out)


MUTATION = st.tuples(st.integers(0, 2**32), st.integers(0, 6))
