"""Gongkai (公开): government information disclosure work, from daily cases to the annual report."""

__version__ = "0.1.0"
