"""What the sign-off panel of a case shows to a given person: the open draft, the forms they may use,
every draft's history in words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from gongkai.apps import records
from gongkai.apps.cases.models import Application
from gongkai.core.casework import lifecycle, signoff
from gongkai.core import standard
from gongkai.core.casework.lifecycle import State
from gongkai.core.casework.signoff import Action, DraftState

from . import services
from .forms import CancelForm, DraftForm, ReviewForm
from .models import DecisionDraft


@dataclass(frozen=True)
class Line:
    draft: DecisionDraft
    event: object  # DraftEvent
    changes: list[tuple[str, str, str]]


def history(drafts) -> list[Line]:
    """Every action on the case's drafts, oldest first, with what changed in words."""
    lines = []
    for draft in drafts:
        for event in draft.events.all():
            changes = [(label, records.readable(DecisionDraft, label, before), records.readable(DecisionDraft, label, after))
                       for label, before, after in event.changes if label != "稿次" and not (_blank(before) and _blank(after))]
            lines.append(Line(draft, event, changes))
    return sorted(lines, key=lambda line: (line.event.at, line.event.pk))


def _blank(value) -> bool:
    return value is None or value == "" or value == []


def outcome_labels(outcomes) -> list[str]:
    return [standard.APPLICATIONS.row(key).short_label for key in standard.OUTCOME_KEYS if key in outcomes]


def panel(user, application: Application, *, draft_form=None, review_form=None, cancel_form=None) -> dict:
    drafts = list(services.drafts(application))
    current = next((d for d in drafts if d.is_open), None)
    may_draft = services.can_draft(user, application)
    may_review = services.can_review(user, application)
    case_open = State(application.state) in lifecycle.OPEN_STATES
    state = current.draft_state if current else None
    editable = state in (DraftState.DRAFTING, DraftState.RETURNED) or (current is None and case_open)
    if draft_form is None and may_draft and editable:
        draft_form = DraftForm(instance=current, initial={} if current else {"decided_on": timezone.localdate()})
    elif not (may_draft and editable):
        draft_form = None
    reviewing = may_review and state is DraftState.SUBMITTED
    own = reviewing and user.pk in services.authors(current)
    if review_form is None and reviewing:
        review_form = ReviewForm(draft=current)
    elif not reviewing:
        review_form = None
    if cancel_form is None and may_draft and current is not None:
        cancel_form = CancelForm()
    elif not (may_draft and current is not None):
        cancel_form = None
    last_return = None
    if current is not None and state is DraftState.RETURNED:
        last_return = next((line.event for line in reversed(history([current]))
                            if line.event.action == Action.RETURN.value), None)
    required = services.required_outcomes(application.agency)
    return {
        "show": bool(drafts) or case_open,
        "application": application,
        "draft": current,
        "signed": [d for d in drafts if d.state == DraftState.SIGNED.value],
        "draft_form": draft_form,
        "submittable": state in (DraftState.DRAFTING, DraftState.RETURNED) and may_draft,
        "review_form": review_form,
        "own_draft": own,
        "cancel_form": cancel_form,
        "last_return": last_return,
        "history": history(drafts),
        "required": outcome_labels(required),
        "secrecy_outcomes": outcome_labels(signoff.DISCLOSING_OUTCOMES),
        "can_configure": services.can_configure(user, application.agency),
        "read_only": not (may_draft or may_review),
    }
