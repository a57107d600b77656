"""Every kind of letter works out of the box in the demo: on a case of a demo agency, in the
state each kind needs (reached through the registry's services, as the demo makes its cases),
every letter the code declares (``core.casework.letters.KINDS``) is generated without a "please
set up X first" — the demo's letter settings name the review body, the court, the 文号 prefix,
the online review channel, the contact and how to pay a fee."""

from __future__ import annotations

import io
from datetime import date, timedelta

import docx
import pytest

from gongkai.apps.cases.services import register_application
from gongkai.apps.demo import county as demo
from gongkai.apps.letters import services as letter_services
from gongkai.apps.letters.models import LetterSettings
from gongkai.core import standard
from gongkai.core.casework import letters
from gongkai.core.casework.lifecycle import Event

RECEIVED = date.today() - timedelta(days=90)
FEE = {"fee_method": "per_page", "fee_yuan": 60, "fee_explanation": "按件计收", "fee_notice_channel": "email"}
CORRECTION = {"correction_kind": "unclear", "correction_items": "请写明所需信息的名称或文号"}


def decide(outcome, day=6, other_agency=False):
    return (Event.DECIDE, day, {"outcome": outcome, "decision": demo.decision_for(outcome, other_agency)})


def path_to(key: str) -> list[tuple]:
    """The steps (event, days after receipt, what the step takes) after which ``key`` applies."""
    if key == "acknowledgment":
        return []
    if key == "correction":
        return [(Event.REQUEST_CORRECTION, 1, CORRECTION)]
    if key == "consultation":
        return [(Event.START_CONSULTATION, 2, {"consultation_party": "某建筑工程有限公司"})]
    if key == "fee":
        return [(Event.SEND_FEE_NOTICE, 3, FEE)]
    if key == "extension":
        return [(Event.EXTEND, 15, {"approver": True})]
    if key == "third_party_disclosure":
        return [*path_to("consultation"), (Event.END_CONSULTATION, 10, {}), decide("granted", 12)]
    if key == "reply_unable_other_agency":
        return [decide("unable_not_held", other_agency=True)]
    outcome = key.removeprefix("reply_")
    assert outcome in standard.OUTCOME_KEYS, key
    if outcome == "other_no_correction":
        return [(Event.REQUEST_CORRECTION, 1, CORRECTION), (Event.CORRECTION_LAPSED, 45, {})]
    if outcome == "other_unpaid_fee":
        return [(Event.SEND_FEE_NOTICE, 3, FEE), (Event.PAYMENT_LAPSED, 45, {})]
    if outcome == "unable_unclear":
        return [(Event.REQUEST_CORRECTION, 1, CORRECTION), (Event.RECEIVE_CORRECTION, 5, {}), decide(outcome, 8)]
    if outcome == "rejected_excessive":
        return [(Event.REQUEST_REASONS, 2, {}), (Event.RECEIVE_REASONS, 4, {"reasons_reasonable": False}),
                decide(outcome, 6)]
    return [decide(outcome)]


def case_for(county, agency, key: str, n: int):
    staff = county.staff[agency.pk]
    application = register_application(
        staff.registrar, agency, applicant_type="natural_person", applicant_name=f"王{n}", id_type="居民身份证",
        id_number="", phone="13800000000", address="青山县人民路1号", channel="letter", received_on=RECEIVED,
        description=f"第{n}号：{agency.name}2025年财政预算说明", delivery_wanted="网上平台")
    steps = []
    for event, days, details in path_to(key):
        details = dict(details)
        user = staff.approver if details.pop("approver", False) else staff.handler
        outcome, decision = details.pop("outcome", None), details.pop("decision", None)
        steps.append(demo.Step(event, RECEIVED + timedelta(days=days), user, "演示", outcome, decision, details))
    return demo.take_steps(staff, application, steps)


@pytest.fixture
def county(db):
    return demo.create_county(seed=3)


def test_every_demo_agency_has_letter_settings(county):
    assert LetterSettings.objects.filter(agency__in=county.agencies).count() == len(county.agencies)
    for agency in county.agencies:  # the remedy sentence can be written for every one of them
        remedy = letter_services.remedy_settings(agency)
        assert remedy.review_body and remedy.court and not remedy.court_default, agency


def test_every_letter_kind_is_generated_for_a_demo_agency(county):
    government = county.government
    township = next(a for a in county.agencies if a.kind == "township")
    issued = {}
    for agency in (government, township):
        handler = county.staff[agency.pk].handler
        prefix = LetterSettings.objects.get(agency=agency).number_prefix
        for n, key in enumerate(sorted(letters.KINDS)):
            application = case_for(county, agency, key, n)
            assert key in {k.key for k in letter_services.available_kinds(application)}, key
            letter = letter_services.issue_letter(handler, application, key)
            assert letter.kind == key and letter.number.startswith(prefix), (key, letter.number)
            text = "\n".join(p.text for p in docx.Document(io.BytesIO(bytes(letter.content))).paragraphs)
            assert application.number in text and "{" not in text and "｛" not in text, key
            issued.setdefault(agency.pk, set()).add(key)
    assert issued == {government.pk: set(letters.KINDS), township.pk: set(letters.KINDS)}
    assert len(letters.KINDS) >= 27  # every outcome of table 3, the notices and the third-party letter
