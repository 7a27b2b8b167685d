"""Statistical process control (XmR chart) engine, "Making Data Count" rules.

A pure-Python (standard library only, no Django) port of the calculations in
the NHS-R Community's R package NHSRplotthedots, ``ptd_spc()``, version 0.2.x
(0.2.2), so that a trust gets the same mean, process limits, point colours,
variation icon and assurance icon here as from its R and Power BI charts.

R files followed (nhs-r-community/NHSRplotthedots):

* ``R/ptd_spc.R``                        - pipeline: sort, rebase, standard
  calculations, point types; improvement direction as +1 / 0 / -1.
* ``R/ptd_add_rebase_column.R``          - a rebase date marks the row with
  that exact date; ``cumsum`` of the marks gives the group.
* ``R/ptd_spc_standard.R``               - per group: ``mean``, moving ranges
  ``c(NA, abs(diff(y)))``, mR-bar, outlier screening (keep a moving range
  only if ``mr < 3.267 * amr``; mR-bar recomputed once), limits
  ``mean -/+ 2.66 * amr``, the "close to limits" lines
  ``mean -/+ 2 * (2.66 / 3) * amr``, ``relative_to_mean = sign(y - mean)``,
  ``fix_after_n_points`` via ``row_number() <= n`` inside each rebase group.
* ``R/ptd_calculate_point_type.R``       - the four rules, their precedence
  (``ptd_special_cause_type``) and the mapping to point types
  (``ptd_point_type``), including the v0.2 fix that colours a 7-point trend
  by the direction of the trend, not by the side of the mean (issue #171).
* ``R/ptd_calculate_assurance_type.R``   - assurance from the last row's
  limits.
* ``R/ptd_spc_options.R``                - ``fix_after_n_points >= 12``.
* ``R/geom_ptd_icon.R``                  - the variation icon is the point
  type of the last point.
* tests: ``test-ptd_calculate_point_type.R``, ``test-ptd_spc_standard.R``,
  ``test-ptd_calculate_assurance_type.R``.

The rules, evaluated within each rebase group on the points in date order:

1. a point strictly above the upper or strictly below the lower process limit
   ("Above UCL" / "Below LCL", by its side of the mean);
2. part of a run of 7 points strictly increasing or strictly decreasing (a tie
   breaks it); the direction of a point in a trend is the sign of the step to
   the next point if that point is also in a trend, otherwise of the step from
   the previous point (exactly as R);
3. part of 2 of 3 consecutive points strictly beyond the close-to-limit line
   and not outside the limits, all three points on the same side of the mean
   (strictly; a point on the mean spoils the window).  Only the close points
   are flagged, not the third point; windows do not run past either end of
   the group;
4. part of a run of 7 points on the same side of the mean (a point exactly on
   the mean breaks it).

The first rule that applies names the special cause; its high/low side is
turned into ``special_cause_improvement`` / ``special_cause_concern`` by the
improvement direction, or ``special_cause_neutral_high`` / ``_low`` when the
direction is neutral.

Precision: nothing is rounded.  Every mean (of the values and of the moving
ranges) is the exact mean correctly rounded to a double
(``statistics.mean``).  R's ``mean()`` is a long-double two-pass mean, which
gives the same double (a constant series has exactly its value as its mean,
so its points sit on the mean) except, rarely, in the last binary digit.

Deliberate differences from R (each is documented where it is implemented):

* The "close to limits" (2-sigma) line is ``mean +/- 2 * (2.66 / 3) * mR-bar``
  (= 1.77333 mR-bar) as in R's ``limitclose``, not ``2 * mR-bar / 1.128``
  (= 1.77305 mR-bar); following R is what keeps the answers identical.
* Missing values (``None`` or NaN) are handled as R handles ``NA``, row by
  row: the mean is of the group's values (``na.rm``); a moving range next to
  a missing value is itself missing (``c(NA, abs(diff(y)))``), so no moving
  range spans a gap, and mR-bar is the mean of the others;
  ``fix_after_n_points`` counts rows, missing ones included
  (``row_number()``).  No rule looks across a gap: a window of rows (7 on
  one side of the mean, a 7-point trend, 2 of 3 close to a limit) that holds
  a missing row never signals (R's comparisons give ``NA``, which
  ``case_when`` treats as false).  A missing row gets its group's mean and
  limits and is classed ``common_cause`` (R's ``.default``), not flagged;
  the variation type is the point type of the last row, as R's icon takes
  it, so a series whose latest row is missing shows common cause.  Where R
  stops with an error (its trend check ``if (all(d == 1))`` on a 7-row
  window holding a missing value whose other steps all rise, or all fall,
  is ``if (NA)``), the window is not a trend here, like every other window
  holding a missing row.  A series with no values at all has no variation
  type and no assurance type.
* A rebase date, like in R, only takes effect when it is one of the input
  dates (it may be a date whose value is missing); any other rebase date is
  ignored, as R ignores it.

Undefined limits (a group with a single value, or a constant group whose
moving ranges are all 0 and therefore all screened out because ``0 < 0`` is
false; also limits that overflow, for values near the largest double) are
``None``; as in R no point can then be outside or close to the
limits, and an assurance comparison against them fails, giving
``inconsistent`` (R's ``case_when`` falls through to ``TRUE``).

Command line (stable contract)::

    python -m goals.measures.spc < in.json > out.json

Input ``{"dates": ["YYYY-MM-DD", ...], "values": [number|null, ...],
"improvement_direction": "increase"|"decrease"|"neutral", "target":
number|null, "rebase": ["YYYY-MM-DD", ...], "fix_after_n_points": int|null,
"screen_outliers": true|false}`` (all but dates and values optional).
Output ``{"points": [{"date", "value", "mean", "lpl", "upl",
"special_cause_flag", "point_type"}, ...], "variation_type": ...,
"assurance_type": ...}``, points in date order.  Bad input: one line on
stderr and exit status 2.
"""

from __future__ import annotations

import datetime
import decimal
import json
import math
import numbers
import re
import statistics
import struct
import sys
from dataclasses import dataclass

__all__ = [
    "ASSURANCE_TYPES",
    "COMMON_CAUSE",
    "CONSISTENT_FAIL",
    "CONSISTENT_PASS",
    "DECREASE",
    "IMPROVEMENT_DIRECTIONS",
    "INCONSISTENT",
    "INCREASE",
    "LIMIT_CLOSE_MULTIPLIER",
    "LIMIT_MULTIPLIER",
    "MIN_FIX_AFTER_N_POINTS",
    "NEUTRAL",
    "OUTLIER_SCREEN_MULTIPLIER",
    "POINT_TYPES",
    "SPECIAL_CAUSE_CONCERN",
    "SPECIAL_CAUSE_IMPROVEMENT",
    "SPECIAL_CAUSE_NEUTRAL_HIGH",
    "SPECIAL_CAUSE_NEUTRAL_LOW",
    "SpcInputError",
    "SpcPoint",
    "SpcResult",
    "VARIATION_TYPES",
    "analyse",
    "main",
]

# --- public constants -------------------------------------------------------

INCREASE = "increase"
DECREASE = "decrease"
NEUTRAL = "neutral"
IMPROVEMENT_DIRECTIONS = (INCREASE, DECREASE, NEUTRAL)

COMMON_CAUSE = "common_cause"
SPECIAL_CAUSE_IMPROVEMENT = "special_cause_improvement"
SPECIAL_CAUSE_CONCERN = "special_cause_concern"
SPECIAL_CAUSE_NEUTRAL_HIGH = "special_cause_neutral_high"
SPECIAL_CAUSE_NEUTRAL_LOW = "special_cause_neutral_low"
POINT_TYPES = (
    COMMON_CAUSE,
    SPECIAL_CAUSE_IMPROVEMENT,
    SPECIAL_CAUSE_CONCERN,
    SPECIAL_CAUSE_NEUTRAL_HIGH,
    SPECIAL_CAUSE_NEUTRAL_LOW,
)
# The variation type is the point type of the last point.
VARIATION_TYPES = POINT_TYPES

CONSISTENT_PASS = "consistent_pass"
CONSISTENT_FAIL = "consistent_fail"
INCONSISTENT = "inconsistent"
ASSURANCE_TYPES = (CONSISTENT_PASS, CONSISTENT_FAIL, INCONSISTENT)

# R: limit <- 2.66; limitclose <- 2 * (limit / 3); screening at 3.267 * amr.
LIMIT_MULTIPLIER = 2.66
LIMIT_CLOSE_MULTIPLIER = 2 * (LIMIT_MULTIPLIER / 3)
OUTLIER_SCREEN_MULTIPLIER = 3.267
MIN_FIX_AFTER_N_POINTS = 12
RUN_LENGTH = 7  # 7 points in a row on one side / in a trend

_DIRECTION_SIGN = {INCREASE: 1, NEUTRAL: 0, DECREASE: -1}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NAN = float("nan")


class SpcInputError(ValueError):
    """The input to :func:`analyse` (or the command line) is not usable."""


@dataclass(frozen=True)
class SpcPoint:
    date: datetime.date
    value: float | None
    mean: float | None
    lpl: float | None
    upl: float | None
    special_cause_flag: bool
    point_type: str | None  # common_cause for a missing value (R's default); None only with no data at all


@dataclass(frozen=True)
class SpcResult:
    points: list[SpcPoint]
    variation_type: str | None
    assurance_type: str | None

    def to_dict(self) -> dict:
        """The JSON-ready form used by the command line."""
        return {
            "points": [
                {
                    "date": p.date.isoformat(),
                    "value": p.value,
                    "mean": p.mean,
                    "lpl": p.lpl,
                    "upl": p.upl,
                    "special_cause_flag": p.special_cause_flag,
                    "point_type": p.point_type,
                }
                for p in self.points
            ],
            "variation_type": self.variation_type,
            "assurance_type": self.assurance_type,
        }


# --- input validation -------------------------------------------------------


def _is_real(x) -> bool:
    if type(x) is float or type(x) is int:  # fast path for the usual case
        return True
    return (
        isinstance(x, (numbers.Real, decimal.Decimal)) and not isinstance(x, bool)
    )


def _to_date(x, what: str) -> datetime.date:
    if isinstance(x, datetime.datetime):
        return x.date()
    if isinstance(x, datetime.date):
        return x
    if isinstance(x, str):
        if _ISO_DATE.fullmatch(x):
            try:
                return datetime.date.fromisoformat(x)
            except ValueError:
                pass
        raise SpcInputError(f"{what}: {x!r} is not a date in YYYY-MM-DD form")
    raise SpcInputError(f"{what}: {x!r} is not a date")


def _to_value(x, i: int) -> float | None:
    if x is None:
        return None
    if not _is_real(x):
        raise SpcInputError(f"values[{i}]: {x!r} is not a number or null")
    try:
        v = float(x)
    except (OverflowError, ValueError) as exc:
        raise SpcInputError(f"values[{i}]: {x!r} is not a finite number") from exc
    if math.isnan(v):
        return None  # NaN is the conventional missing value
    if math.isinf(v):
        raise SpcInputError(f"values[{i}]: {x!r} is not a finite number")
    return v


def _validate(dates, values, improvement_direction, target, rebase,
              fix_after_n_points, screen_outliers):
    if isinstance(dates, (str, bytes)) or isinstance(values, (str, bytes)):
        raise SpcInputError("dates and values must be sequences, not strings")
    try:
        dates = list(dates)
        values = list(values)
    except TypeError as exc:
        raise SpcInputError("dates and values must be sequences") from exc
    if len(dates) != len(values):
        raise SpcInputError(
            f"dates and values differ in length ({len(dates)} and {len(values)})"
        )
    ds = [_to_date(d, f"dates[{i}]") for i, d in enumerate(dates)]
    seen = set()
    for d in ds:
        if d in seen:
            raise SpcInputError(f"duplicate date {d.isoformat()}")
        seen.add(d)
    vs = [_to_value(v, i) for i, v in enumerate(values)]

    if not isinstance(improvement_direction, str) or (
        improvement_direction not in IMPROVEMENT_DIRECTIONS
    ):
        raise SpcInputError(
            f"improvement_direction must be one of {', '.join(IMPROVEMENT_DIRECTIONS)}"
            f" (got {improvement_direction!r})"
        )

    if target is not None:
        if not _is_real(target):
            raise SpcInputError(f"target: {target!r} is not a number or null")
        t = float(target)
        if not math.isfinite(t):
            raise SpcInputError(f"target: {target!r} is not a finite number")
        target = t

    if rebase is None:
        rebase = ()
    if isinstance(rebase, (str, bytes, datetime.date)):
        raise SpcInputError("rebase must be a list of dates")
    try:
        rebase_dates = {_to_date(r, f"rebase[{i}]") for i, r in enumerate(rebase)}
    except TypeError as exc:
        raise SpcInputError("rebase must be a list of dates") from exc

    if fix_after_n_points is not None:
        if isinstance(fix_after_n_points, bool) or not isinstance(
            fix_after_n_points, int
        ):
            raise SpcInputError(
                f"fix_after_n_points must be a whole number or null "
                f"(got {fix_after_n_points!r})"
            )
        if fix_after_n_points < MIN_FIX_AFTER_N_POINTS:
            raise SpcInputError(
                f"fix_after_n_points must be {MIN_FIX_AFTER_N_POINTS} or more "
                f"(got {fix_after_n_points})"
            )

    if not isinstance(screen_outliers, bool):
        raise SpcInputError(
            f"screen_outliers must be true or false (got {screen_outliers!r})"
        )
    return ds, vs, target, rebase_dates


# --- the calculations -------------------------------------------------------


def _is_even(x: float) -> bool:
    return not struct.unpack("<Q", struct.pack("<d", x))[0] & 1


def _mean(xs: list[float]) -> float:
    """The exact mean of xs correctly rounded to a double (NaN when empty).

    Equal to ``statistics.mean(xs)`` but several times faster: start from
    ``fsum(xs) / n`` (within a couple of units in the last place) and step to
    the correctly rounded value, deciding each step with exact signs from
    ``math.fsum`` (which sums doubles exactly before its one rounding).
    """
    n = len(xs)
    if not n:
        return _NAN  # R: mean(numeric(0)) is NaN
    try:
        c = math.fsum(xs) / n
        doubled = None
        for _ in range(8):
            if not math.isfinite(c):
                break
            r = math.fsum(xs + [-c] * n)  # sign of sum(xs) - n * c, exactly
            if r == 0:
                return c
            toward = math.nextafter(c, math.inf if r > 0 else -math.inf)
            if doubled is None:
                doubled = [2.0 * x for x in xs]
            # sign of 2 * sum(xs) - n * (c + toward): the mean against the
            # midpoint between c and its neighbour on the mean's side
            h = math.fsum(doubled + [-c] * n + [-toward] * n)
            if h == 0:
                return c if _is_even(c) else toward  # halfway: ties to even
            if (h > 0) != (r > 0):
                return c  # the mean is nearer c than its neighbour
            c = toward
    except (OverflowError, ValueError):  # inf in an intermediate sum
        pass
    return float(statistics.mean(xs))  # extreme magnitudes: slow exact path


def _group_limits(ys: list[float | None], fix_after_n_points, screen_outliers):
    """(mean, amr) of one group's rows (None: missing), as ptd_spc_standard (NaN where R gives NaN)."""
    base = ys if fix_after_n_points is None else ys[:fix_after_n_points]  # row_number() <= n: rows, not values
    mean = _mean([y for y in base if y is not None])
    # mr <- c(NA, abs(diff(fix_y))): none for the group's first row, none next to a missing value
    mrs = [abs(b - a) for a, b in zip(base, base[1:]) if a is not None and b is not None]
    amr = _mean(mrs)
    if screen_outliers and mrs:
        # keep mr only when mr < 3.267 * amr; amr recomputed once
        cutoff = OUTLIER_SCREEN_MULTIPLIER * amr
        amr = _mean([m for m in mrs if m < cutoff])
    return mean, amr


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _special_cause_types(ys: list[float | None], mean: float, amr: float) -> list[int]:
    """For each row: 0 = common cause (a missing row too), +1 = special cause high, -1 = low.

    Mirrors ptd_special_cause_type() + ptd_point_type() (before the
    improvement direction is applied).  A window of rows holding a missing
    value never signals.
    """
    n = len(ys)
    lpl = mean - LIMIT_MULTIPLIER * amr
    upl = mean + LIMIT_MULTIPLIER * amr
    nlpl = mean - LIMIT_CLOSE_MULTIPLIER * amr
    nupl = mean + LIMIT_CLOSE_MULTIPLIER * amr

    # Comparisons with NaN limits are False, as R's NA is treated by case_when.
    present = [y is not None for y in ys]
    outside = [y is not None and (y > upl or y < lpl) for y in ys]
    rtm = [_sign(y - mean) if y is not None else 0 for y in ys]
    close = [y is not None and (not o) and (y < nlpl or y > nupl) for y, o in zip(ys, outside)]

    # Rule: 7 points on one side of the mean (ptd_seven_point_one_side_mean +
    # ptd_part_of_seven_trend): mark the 7 points ending at every run end.
    # A missing row (rtm 0 here) ends a run, as R's NA window is never TRUE.
    side_run = [False] * n
    run = 0
    for i in range(n):
        if rtm[i] != 0 and i > 0 and rtm[i] == rtm[i - 1]:
            run += 1
        else:
            run = 1 if rtm[i] != 0 else 0
        if run >= RUN_LENGTH:
            for k in range(i - RUN_LENGTH + 1, i + 1):
                side_run[k] = True

    # Rule: trend of 7 points (ptd_seven_point_trend + ptd_part_of_seven_trend);
    # a step from or to a missing row is no step.
    trend = [False] * n
    up = down = 0
    for i in range(1, n):
        step = _sign(ys[i] - ys[i - 1]) if present[i] and present[i - 1] else 0
        up = up + 1 if step > 0 else 0
        down = down + 1 if step < 0 else 0
        if up >= RUN_LENGTH - 1 or down >= RUN_LENGTH - 1:
            for k in range(i - RUN_LENGTH + 1, i + 1):
                trend[k] = True

    # Rule: 2 of 3 close to the limits, all 3 on one side of the mean
    # (ptd_two_in_three + ptd_part_of_two_in_three).  Windows cannot run past
    # either end of the group (R pads relative_to_mean with 0), nor hold a
    # missing row (rtm 0 here, so never 3 on one side).
    two_in_three = [False] * n
    for s in range(n - 2):
        side = rtm[s] + rtm[s + 1] + rtm[s + 2]
        if abs(side) == 3 and close[s] + close[s + 1] + close[s + 2] >= 2:
            for k in (s, s + 1, s + 2):
                if close[k]:
                    two_in_three[k] = True

    result = [0] * n
    for i in range(n):
        if outside[i]:
            # ifelse(relative_to_mean == 1, "Above UCL", "Below LCL")
            result[i] = 1 if rtm[i] == 1 else -1
        elif trend[i]:
            # direction of the trend: the step to the next point if that point
            # is also part of a trend, otherwise the step from the previous
            # point; label "Increasing" only when that sign is +1.
            if i + 1 < n and trend[i + 1]:
                sdy = _sign(ys[i + 1] - ys[i])
            else:
                sdy = _sign(ys[i] - ys[i - 1]) if i > 0 and present[i - 1] else 0
            result[i] = 1 if sdy == 1 else -1
        elif two_in_three[i] or side_run[i]:
            # ifelse(relative_to_mean > 0, "Above", "Below")
            result[i] = 1 if rtm[i] > 0 else -1
    return result


def _finite_or_none(x: float) -> float | None:
    # NaN where R has NaN/NA; +/-inf only for values near the largest double
    return x if math.isfinite(x) else None


def analyse(
    dates,
    values,
    improvement_direction="increase",
    target=None,
    rebase=(),
    fix_after_n_points=None,
    screen_outliers=True,
) -> SpcResult:
    """Analyse a time series as an XmR chart with the Making Data Count rules.

    ``dates``: ``datetime.date`` objects (or ``YYYY-MM-DD`` strings), unique,
    in any order.  ``values``: numbers or ``None`` for a missing value, one
    per date.  ``rebase``: dates at which a new group, with its own limits,
    starts.  ``fix_after_n_points``: base each group's limits on its first N
    (>= 12) rows, missing ones included, as R's ``row_number()``.  Raises :class:`SpcInputError` on bad input.
    """
    ds, vs, target, rebase_dates = _validate(
        dates, values, improvement_direction, target, rebase,
        fix_after_n_points, screen_outliers,
    )
    order = sorted(range(len(ds)), key=ds.__getitem__)

    # Groups: a row whose date is a rebase date starts a new group (cumsum of
    # the 0/1 rebase column); a rebase on the first date changes nothing.
    groups: list[list[int]] = []
    for pos, i in enumerate(order):
        if pos == 0 or ds[i] in rebase_dates:
            groups.append([])
        groups[-1].append(i)

    direction = _DIRECTION_SIGN[improvement_direction]
    points: list[SpcPoint] = []
    for members in groups:
        ys = [vs[i] for i in members]
        mean, amr = _group_limits(ys, fix_after_n_points, screen_outliers)
        lpl = mean - LIMIT_MULTIPLIER * amr
        upl = mean + LIMIT_MULTIPLIER * amr
        highs_lows = _special_cause_types(ys, mean, amr)
        g_mean, g_lpl, g_upl = (_finite_or_none(x) for x in (mean, lpl, upl))
        for i, v in zip(members, highs_lows):
            if v == 0:
                point_type = COMMON_CAUSE
            elif direction == 0:
                point_type = (
                    SPECIAL_CAUSE_NEUTRAL_HIGH if v > 0 else SPECIAL_CAUSE_NEUTRAL_LOW
                )
            elif v * direction > 0:
                point_type = SPECIAL_CAUSE_IMPROVEMENT
            else:
                point_type = SPECIAL_CAUSE_CONCERN
            points.append(
                SpcPoint(ds[i], vs[i], g_mean, g_lpl, g_upl, v != 0, point_type)
            )

    if all(p.value is None for p in points):
        variation_type = None  # no data at all
    else:
        variation_type = points[-1].point_type  # R: the row with the latest date
    return SpcResult(points, variation_type, _assurance(points, target, direction))


def _assurance(points: list[SpcPoint], target, direction: int) -> str | None:
    """ptd_calculate_assurance_type: the target against the last row's limits."""
    if target is None or direction == 0:
        return None
    if all(p.value is None for p in points):
        return None  # no data at all (see "Missing values" above)
    last = points[-1]
    # A comparison with an undefined (NA) limit is false in R's case_when.
    if last.upl is not None and target > last.upl:
        return CONSISTENT_FAIL if direction > 0 else CONSISTENT_PASS
    if last.lpl is not None and target < last.lpl:
        return CONSISTENT_PASS if direction > 0 else CONSISTENT_FAIL
    return INCONSISTENT


# --- command line -----------------------------------------------------------

_CLI_KEYS = {
    "dates", "values", "improvement_direction", "target", "rebase",
    "fix_after_n_points", "screen_outliers",
}


def _reject_constant(name):
    raise SpcInputError(f"{name} is not valid JSON")


def _parse_cli_input(text: str) -> dict:
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise SpcInputError(f"input is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise SpcInputError("input must be a JSON object")
    unknown = sorted(set(data) - _CLI_KEYS)
    if unknown:
        raise SpcInputError(f"unknown key(s): {', '.join(unknown)}")
    for key in ("dates", "values"):
        if key not in data:
            raise SpcInputError(f"missing key: {key}")
        if not isinstance(data[key], list):
            raise SpcInputError(f"{key} must be a list")
    for i, d in enumerate(data["dates"]):
        if not isinstance(d, str):
            raise SpcInputError(f"dates[{i}]: {d!r} is not a YYYY-MM-DD string")
    rebase = data.get("rebase")
    if rebase is not None:
        if not isinstance(rebase, list) or not all(isinstance(r, str) for r in rebase):
            raise SpcInputError("rebase must be a list of YYYY-MM-DD strings")
    direction = data.get("improvement_direction")
    screen = data.get("screen_outliers")
    return {
        "dates": data["dates"],
        "values": data["values"],
        "improvement_direction": INCREASE if direction is None else direction,
        "target": data.get("target"),
        "rebase": rebase or (),
        "fix_after_n_points": data.get("fix_after_n_points"),
        "screen_outliers": True if screen is None else screen,
    }


def main(argv=None, stdin=None, stdout=None, stderr=None) -> int:
    """``python -m goals.measures.spc < in.json > out.json``; returns the exit status."""
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    try:
        result = analyse(**_parse_cli_input(stdin.read()))
    except SpcInputError as exc:
        message = " ".join(str(exc).split())  # exactly one line
        stderr.write(f"goals.measures.spc: {message}\n")
        return 2
    json.dump(result.to_dict(), stdout, allow_nan=False)
    stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
