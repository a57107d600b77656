"""Form helpers every app's forms share: labels laid out above their fields, and date inputs.

The shared templates that draw them are ``includes/fields.html`` (a form's fields with their
errors) and ``includes/pages.html`` (previous / next of a list), in ``gongkai/web/templates``
beside the two page layouts, ``base.html`` (staff) and ``public_base.html`` (the public column).
"""

from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    """A date field as the browser's date picker, in ISO form (2026-01-31)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class Plain:
    """Labels without a colon after them, required labels marked (the page lays labels out above
    their fields)."""

    required_css_class = "required"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
