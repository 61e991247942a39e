"""How far an indicator has come: the achievement of its target, with its direction.

``achievement`` is the share of the way from the baseline to the target that the actual value
has travelled: 0 at the baseline, 1 at the target, more than 1 beyond it, below 0 when the
figure moved the wrong way. The direction says which way is progress:

* ``more`` (more is better): the target lies above the baseline; going up is progress.
* ``less`` (less is better: costs per client, waiting times): the target lies below the
  baseline; going down is progress.
* ``target`` (on target is best): what counts is the distance to the target; 1 − (distance now
  / distance at the baseline), so 1 is on target and overshooting counts like falling short.

Without a baseline, a target or an actual value there is no share (None), and none either when
the target asks for no change or points against the direction: no figure is made up.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DIRECTIONS = ("more", "less", "target")
_PLACES = Decimal("0.0001")


def achievement(
    baseline: Decimal | None, target: Decimal | None, actual: Decimal | None, direction: str
) -> Decimal | None:
    """The share of the way from ``baseline`` to ``target`` reached by ``actual`` (1 = 100 %),
    rounded to four decimals; None when it cannot be said."""
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction: {direction!r}")
    if baseline is None or target is None or actual is None:
        return None
    if direction == "target":
        start = abs(target - baseline)
        if start == 0:
            return Decimal(1) if actual == target else None
        share = 1 - abs(actual - target) / start
    else:
        asked = target - baseline
        if asked == 0 or (asked < 0) != (direction == "less"):
            return None
        share = (actual - baseline) / asked
    return share.quantize(_PLACES, rounding=ROUND_HALF_UP)
