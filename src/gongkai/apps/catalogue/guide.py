"""What an agency adds to its disclosure guide (``GuideSupplement``), each change kept."""

from __future__ import annotations

from django.db import transaction

from gongkai.apps.agencies.models import Agency
from gongkai.apps.records import snapshot

from .access import require_review
from .models import GuideSupplement, GuideSupplementRevision

GUIDE_FIELDS = ("office_hours", "email", "notes", "disclosure_rules")


def save_guide_supplement(user, agency: Agency, office_hours: str = "", email: str = "", notes: str = "",
                          reason: str = "", disclosure_rules: str = "") -> GuideSupplement:
    """What the agency adds to its disclosure guide (its approvers only); the change is kept."""
    require_review(user, agency, "修改公开指南")
    values = {"office_hours": office_hours.strip(), "email": email.strip(), "notes": notes.strip(),
              "disclosure_rules": disclosure_rules.strip()}
    with transaction.atomic():
        current = GuideSupplement.objects.select_for_update().filter(agency=agency).first()
        before = snapshot(current, GUIDE_FIELDS) if current else {}
        supplement = current or GuideSupplement(agency=agency)
        for name, value in values.items():
            setattr(supplement, name, value)
        supplement.updated_by = user
        supplement.full_clean()
        supplement.save()
        GuideSupplementRevision.objects.create(supplement=supplement, user=user, reason=reason.strip(), before=before,
                                               after=snapshot(supplement, GUIDE_FIELDS))
    return supplement
