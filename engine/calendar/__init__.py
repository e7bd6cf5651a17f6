"""The program calendar: yearly `calendar.yaml` files, what is open when, and iCalendar export."""

from engine.calendar.ics import build_ics, write_ics
from engine.calendar.loader import calendar_years, load_calendar, load_calendar_file, load_calendars
from engine.calendar.status import classify, program_zone, read_moment, status_on

__all__ = ["build_ics", "calendar_years", "classify", "load_calendar", "load_calendar_file", "load_calendars",
           "program_zone", "read_moment", "status_on", "write_ics"]
