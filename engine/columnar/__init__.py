"""Columnar evaluation of rulebooks over whole populations (polars).

A stage of its own: it reads the same loaded rulebook as the traced engine and compiles its
expressions, decision tables and parameters into polars column expressions. No rule is written
twice: editing a rulebook changes the traced result and the population run alike.
"""
