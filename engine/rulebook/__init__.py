"""Rulebooks: versioned YAML policy, loaded, validated and made ready to evaluate."""
