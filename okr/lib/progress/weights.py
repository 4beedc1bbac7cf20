"""Key result weights as the objective's progress uses them: each one's share of the whole.

Pure. The engine's weighted mean (``maths``) counts a key result by its weight over
the sum of its objective's live key results' weights; ``share`` is that fraction,
so what a page shows next to a weight is exactly what the number does with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Weight:
    weight: Decimal
    share: float  # 0..1 of the objective
    equal: bool  # every live key result of the objective weighs the same


def weight_of(weight, weights: Iterable) -> Weight:
    """``weight`` among ``weights`` (the objective's live key results' weights, itself included)."""
    own = Decimal(str(weight))
    values = [Decimal(str(w)) for w in weights] or [own]
    total = sum(values, Decimal(0))
    share = float(own / total) if total > 0 else 0.0
    return Weight(weight=own, share=share, equal=len(set(values)) <= 1)
