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
ALTERNATIVE_PREFIX = "alternative."
"""`alternative.NAME` (true or false): another way CMS scores the same case (facility-based
measurement) gives a result beside the submitted one. Its rules `NAME.label`, `NAME.kept_on_tie` and
`NAME.CATEGORY.score` name it, say whether it counts on a tie, and give the category scores that
replace the submitted ones; the results are compared under the `counted_result` rule."""
EXPLAINED_PREFIXES = (BONUS_PREFIX, GAP_PREFIX, "payment_adjustment.", "automatic_euc.", PATHWAY_PREFIX,
                      ALTERNATIVE_PREFIX)
"""Rules evaluated for every case even when no result field reads them: explanations use them."""
COUNTED_RESULT = "counted_result"
"""The rule that picks which of several results of one clinician counts; it selects from `facts.results`."""
STAGE_FACTS = ("facts.results",)
"""Facts given by a stage rather than by a case: the results being compared (one record per result)."""


def required_outputs(categories: tuple[str, ...]) -> list[str]:
    return list(TOP_LEVEL) + [f"{c}.{field}" for c in categories for field in PER_CATEGORY]
