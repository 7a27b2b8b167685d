"""Time goals.measures.spc.analyse on 10 years of daily data (3,650 points).

    python bench/bench_spc.py

Prints the median wall time of one analysis in milliseconds (target: well
under 100 ms).  The series has a rebase, a fixed baseline, a target, missing
values, a shift and a trend, so every rule is exercised.
"""

from __future__ import annotations

import datetime
import random
import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from goals.measures.spc import analyse  # noqa: E402

N_POINTS = 3650
REPEATS = 31


def make_series(seed: int = 20240101):
    rng = random.Random(seed)
    start = datetime.date(2015, 1, 1)
    dates = [start + datetime.timedelta(days=i) for i in range(N_POINTS)]
    values = []
    for i in range(N_POINTS):
        level = 100 + (15 if i >= 2000 else 0)  # a shift after a change
        v = rng.gauss(level, 8)
        if 1200 <= i < 1210:
            v = 60 + 3 * (i - 1200)  # a 10-point trend
        if rng.random() < 0.01:
            v = None  # about 1% missing
        values.append(v)
    return dates, values, [dates[2000]]


def main() -> None:
    dates, values, rebase = make_series()

    def one():
        return analyse(
            dates, values, improvement_direction="decrease", target=95,
            rebase=rebase, fix_after_n_points=30,
        )

    result = one()
    times = timeit.repeat(one, repeat=REPEATS, number=1)
    special = sum(p.special_cause_flag for p in result.points)
    print(
        f"analyse: {N_POINTS} points, median {statistics.median(times) * 1000:.1f} ms "
        f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}, {REPEATS} runs); "
        f"{special} special-cause points, variation {result.variation_type}, "
        f"assurance {result.assurance_type}"
    )


if __name__ == "__main__":
    main()
