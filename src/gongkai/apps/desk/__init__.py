"""The staff workspace: work lists, dashboard, case pages and forms (views and templates only)."""
