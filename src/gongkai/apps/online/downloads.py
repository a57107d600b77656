"""Downloads on the tracking page: the reply letter and the information provided, for an applicant
who chose to get it online (网上获取), for ``GONGKAI_DOWNLOAD_DAYS`` days (default 90) after the
reply was delivered.

What may be downloaded is read only from the case the tracking session holds (``session_case``):
its letters addressed to the applicant (``IssuedLetter``, the DOCX and its PDF) and its attachments
that staff marked ``released``. A file of any other case is a 404, whatever number is put in the
address. Every download is recorded (``DownloadRecord``: the case, when, which file, the client
address as a keyed hash).

The tracking session: after a successful look-up the tracking page keeps, in the server-side
session, the case's id, the SHA-256 of the code used and the time (``SESSION_KEY``) — never the
code. It ends after ``SESSION_SECONDS`` (30 minutes), when the applicant ends it, or as soon as
the code is replaced (a recovery issues a new one): each request compares the kept hash with the
case's current one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from gongkai.apps.cases.models import Application, Attachment, ReplyChannel
from gongkai.apps.letters.models import IssuedLetter
from gongkai.core.casework import letters as letter_rules

from . import throttle
from .models import DownloadRecord, OnlineSubmission

SESSION_KEY = "online_tracking"
SESSION_SECONDS = 30 * 60
DOWNLOAD_DAYS = 90
ONLINE_WANTED = ("网上获取", "网上", "在线", "平台")


def today() -> date:
    return timezone.localdate()


def download_days() -> int:
    return max(1, int(getattr(settings, "GONGKAI_DOWNLOAD_DAYS", DOWNLOAD_DAYS)))


def offers_downloads(application: Application) -> bool:
    """Whether the applicant gets the reply online: delivered through the online platform, or
    (not yet delivered) asked for 网上获取."""
    if application.reply_channel:
        return application.reply_channel == ReplyChannel.ONLINE.value
    wanted = (application.delivery_wanted or "").strip()
    return any(word in wanted for word in ONLINE_WANTED)


def download_until(application: Application) -> date | None:
    """The last day files may be downloaded (None until the reply is delivered)."""
    if application.replied_on is None:
        return None
    return application.replied_on + timedelta(days=download_days())


@dataclass(frozen=True)
class Availability:
    """What the tracking page says about downloads: ``open`` (files listed), or why not."""

    open: bool
    message: str
    until: date | None = None


def availability(application: Application, on: date | None = None) -> Availability | None:
    """None when the applicant did not choose to get the reply online; else whether the files may
    be downloaded on ``on`` (today), with the message in Chinese."""
    if not offers_downloads(application):
        return None
    on = on or today()
    until = download_until(application)
    if until is None:
        return Availability(False, "答复送达后，答复书和本机关提供的政府信息将在办理进度页面提供下载。")
    if on > until:
        return Availability(False, f"下载期限已于{until.isoformat()}届满，文件不再提供下载。"
                                   "如需再次获取，请联系受理机关。", until)
    return Availability(True, f"以下文件可下载至{until.isoformat()}（答复送达后{download_days()}日）。", until)


def applicant_letters(application: Application) -> list[IssuedLetter]:
    """The case's letters addressed to the applicant (not those to a third party), oldest first."""
    found = application.letters.defer("content").order_by("issued_at", "pk")
    return [letter for letter in found if _to_applicant(letter.kind)]


def _to_applicant(kind: str) -> bool:
    try:
        return letter_rules.kind(kind).addressee == "申请人"
    except (KeyError, letter_rules.LetterError):
        return False


def released_documents(application: Application):
    return application.attachments.filter(released=True).order_by("uploaded_at", "pk")


# --------------------------------------------------------------------------- the session


def open_session(request, submission: OnlineSubmission) -> None:
    request.session[SESSION_KEY] = {"application": submission.application_id, "code_hash": submission.code_hash,
                                    "since": int(time.time())}


def close_session(request) -> None:
    request.session.pop(SESSION_KEY, None)


def session_case(request) -> Application | None:
    """The case of the tracking session, if it is still valid (not expired, code not replaced)."""
    kept = request.session.get(SESSION_KEY)
    if not isinstance(kept, dict):
        return None
    if int(time.time()) - int(kept.get("since", 0)) > SESSION_SECONDS:
        close_session(request)
        return None
    submission = (OnlineSubmission.objects.select_related("application__agency")
                  .filter(application_id=kept.get("application"), code_hash=kept.get("code_hash")).first())
    if submission is None:
        close_session(request)
        return None
    return submission.application


def record(request, application: Application, kind: str, name: str, letter: IssuedLetter | None = None,
           attachment: Attachment | None = None) -> DownloadRecord:
    return DownloadRecord.objects.create(
        application=application, kind=kind, letter=letter, attachment=attachment, file_name=name[:200],
        address_key=throttle.keyed("download_ip", throttle.client_address(request)))
