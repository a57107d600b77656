"""Submitting an agency's annual report to the supervising office (报送) and its review.

The states: the office's working copy is the draft (``reports.AnnualReport``); ``submit`` freezes
it whole as a ``Submission`` (``submitted``); the supervisor of a region above the agency
``return_submission`` with comments (``returned``: the office corrects the draft and submits
again, a new submission) or ``accept`` it (``accepted``). Every submission is kept.

Publication stays the agency's own step (``reports.services.publish_report`` by its approver)
and does not wait for the acceptance: 条例 Art. 49 gives a department the same day (31 January)
to submit the report to the competent department and to publish it, so a slow review must not
make the agency late. The two meet in the history: a submission whose content is a published
version's is shown as published (``published_version``); a report returned after it was
published is corrected, published again as a new version with its reason, and submitted again.

Accepting records the submitted report as a ``CollectedReport`` of the region (origin
``submitted``): its DOCX from the report writer, the report read into the report model and its
findings, so that a report submitted through the system and one uploaded or collected from the
web end in one place for the region's checks, tables and bulletin.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.apps.agencies import permissions
from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.models import YearClose
from gongkai.apps.reports import services as reports
from gongkai.apps.reports.models import AnnualReport, ReportVersion
from gongkai.core.report.model import report_to_json

from . import figures
from .models import CollectedReport, Submission


def may_submit(user, agency: Agency) -> bool:
    return permissions.may(user, agency, permissions.Action.SUBMIT)


def history(agency: Agency, year: int) -> list[Submission]:
    """Every submission of the agency's report of ``year``, newest first."""
    return list(Submission.objects.filter(report__agency=agency, report__year=year)
                .select_related("submitted_by", "decided_by").order_by("-number"))


def submit(report: AnnualReport, user) -> Submission:
    """An approver of the agency submits the report as it stands; refused while it has errors,
    before the year is closed, while an earlier submission awaits review, or when nothing
    changed since the last submission."""
    agency = report.agency
    if not may_submit(user, agency):
        raise PermissionDenied(f"只有“{agency}”的审核人（负责人）才能报送年度报告")
    with transaction.atomic():
        annual = AnnualReport.objects.select_for_update().select_related("agency").get(pk=report.pk)
        if not YearClose.objects.filter(agency=agency, year=annual.year).exists():
            raise ValidationError(f"{annual.year}年度尚未结转：年度结转、表三表四固定后才能报送")
        errors = reports.assemble(agency, annual.year).errors
        if errors:
            raise ValidationError([f"报告有错误，不能报送：{f.message}" for f in errors])
        latest = Submission.objects.filter(report=annual).order_by("-number").first()
        if latest is not None and latest.state == Submission.State.SUBMITTED:
            raise ValidationError(f"第{latest.number}次报送尚在审查中，审查后才能再次报送")
        content = reports.frozen_content(annual)
        if latest is not None and latest.content == content:
            if latest.state == Submission.State.RETURNED:
                raise ValidationError("报告与退回的内容相同：请按审查意见修改后再报送")
            raise ValidationError("报告与已通过审查的内容相同，无需再次报送")
        return Submission.objects.create(report=annual, number=latest.number + 1 if latest else 1,
                                         content=content, submitted_by=user)


def _pending(sub: Submission, user) -> Submission:
    """The submission locked for a decision, if ``user`` may decide it and it awaits review."""
    agency = sub.report.agency
    if not permissions.may_review(user, agency):
        raise PermissionDenied(f"只有“{agency}”上级政务公开工作主管部门的监督人员才能审查其报送的报告")
    locked = Submission.objects.select_for_update().select_related("report__agency").get(pk=sub.pk)
    if locked.state != Submission.State.SUBMITTED:
        raise ValidationError(f"第{locked.number}次报送已{locked.get_state_display()}，不能再审查")
    return locked


def return_submission(sub: Submission, user, comments: str) -> Submission:
    """The supervisor returns the submission for correction, saying what to correct."""
    comments = (comments or "").strip()
    if not comments:
        raise ValidationError({"comments": "请写明退回的理由和修改意见"})
    with transaction.atomic():
        locked = _pending(sub, user)
        locked.state, locked.comments = Submission.State.RETURNED, comments
        locked.decided_by, locked.decided_at = user, timezone.now()
        locked.save(update_fields=["state", "comments", "decided_by", "decided_at"])
        return locked


def accept(sub: Submission, user, comments: str = "", refresh: bool = True) -> Submission:
    """The supervisor accepts the submission; it is recorded as the region's collected report.
    ``refresh=False``: the caller refreshes the region's figures once after many (the demo)."""
    with transaction.atomic():
        locked = _pending(sub, user)
        agency, year = locked.report.agency, locked.report.year
        region = permissions.region_of(user, agency, strict=True)
        assembled = reports.assemble(agency, year, locked)
        data = reports.render_report(assembled, "docx")
        digest = hashlib.sha256(data).hexdigest()
        collected = CollectedReport.objects.filter(region=region, sha256=digest).first()
        if collected is None:
            try:
                with transaction.atomic():
                    collected = CollectedReport.objects.create(
                        region=region, agency=agency, agency_name=locked.content.get("agency", agency.name),
                        year=year, origin=CollectedReport.Origin.SUBMITTED,
                        source=f"系统内报送：{agency.name}{year}年度报告第{locked.number}次报送",
                        sha256=digest, fmt="docx", size=len(data), data=data,
                        status=CollectedReport.Status.READ, report=report_to_json(assembled.report),
                        findings=[f.to_json() for f in assembled.findings],
                        published_on=_date(locked.content.get("published_on")), received_by=user)
            except IntegrityError:  # the same bytes recorded meanwhile
                collected = CollectedReport.objects.get(region=region, sha256=digest)
        locked.state, locked.comments = Submission.State.ACCEPTED, (comments or "").strip()
        locked.decided_by, locked.decided_at, locked.collected = user, timezone.now(), collected
        locked.save(update_fields=["state", "comments", "decided_by", "decided_at", "collected"])
        if refresh:
            figures.refresh_for_report(collected)  # the region's dashboard counts it at once
        return locked


def _date(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


def published_version(sub: Submission) -> ReportVersion | None:
    """The published version whose content is the submitted one (the submission as published)."""
    for version in ReportVersion.objects.filter(report=sub.report).order_by("-number"):
        if version.content == sub.content:
            return version
    return None


def queue(user, states=(Submission.State.SUBMITTED,)):
    """The submissions of the agencies below ``user``'s regions in ``states``, oldest first."""
    regions = list(permissions.supervised_regions(user))
    if not regions:
        return Submission.objects.none()
    below = Q(pk__in=[])
    for region in regions:
        below |= Q(report__agency__path__startswith=region.path) & ~Q(report__agency=region)
    return (Submission.objects.filter(below, state__in=list(states))
            .select_related("report__agency", "submitted_by", "decided_by").order_by("submitted_at", "pk"))
