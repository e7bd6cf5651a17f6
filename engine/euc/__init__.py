"""Automatic extreme and uncontrollable circumstances (EUC): events, designated places, and who they cover."""

from engine.euc.loader import euc_years, load_euc_folder, load_euc_year
from engine.euc.lookup import Applicability, Coverage, applicability, covering_events

__all__ = ["Applicability", "Coverage", "applicability", "covering_events", "euc_years", "load_euc_folder",
           "load_euc_year"]
