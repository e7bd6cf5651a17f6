"""Population runs: synthetic public use files, scored populations and policy impact reports."""
