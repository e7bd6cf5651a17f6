"""The `mips` command line."""
