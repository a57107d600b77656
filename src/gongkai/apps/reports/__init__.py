"""The annual report of an agency: tables computed from the registry, year-end close, narrative, checks and rendering."""
