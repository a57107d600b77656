"""Check a report against the rules of the national format."""

from .findings import RULES, Finding, Rule, Severity
from .rules import check_report

__all__ = ["RULES", "Finding", "Rule", "Severity", "check_report"]
