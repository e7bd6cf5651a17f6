"""The outputs every rulebook must define so that results have one shape across years."""

from __future__ import annotations

TOP_LEVEL = ("final_score", "payment_adjustment_percent")
OPTIONAL_TOP_LEVEL = ("additional_adjustment_percent",)
"""Reported when a year defines them (PY2022's adjustment for exceptional performance)."""
PER_CATEGORY = ("score", "weight", "contribution", "status", "reason")
BONUS_PREFIX = "bonus."
GAP_PREFIX = "gap."
PATHWAY_PREFIX = "pathway."
"""Rules of a pathway overlay that only explanations read (what the pathway did not count, and why)."""
EXPLAINED_PREFIXES = (BONUS_PREFIX, GAP_PREFIX, "payment_adjustment.", "automatic_euc.", PATHWAY_PREFIX)
"""Rules evaluated for every case even when no result field reads them: explanations use them."""


def required_outputs(categories: tuple[str, ...]) -> list[str]:
    return list(TOP_LEVEL) + [f"{c}.{field}" for c in categories for field in PER_CATEGORY]
