"""CMS reference data of a performance year (measures, benchmarks, activities), as converted into the rulebook."""
