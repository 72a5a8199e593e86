"""Each plan is routed as the entitlement matrix says: the cases come from docs/plans.md's tables.

The expected outcome is computed from the matrix's rows (phone first line, phone second line,
direct second line for account admins), not from the code under test: a member dialling the
first line reaches it when the plan has it; dialling the second line reaches it when the plan
has it, else the first line when the plan has that; an account admin of a support plan with direct
second line reaches the second line; anyone else is turned away with a short message.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from tierdesk.phone.models import Call, QueueEntry

from .conftest import FIRST_NUMBER, SECOND_NUMBER

pytestmark = pytest.mark.django_db

PLANS_DOC = Path(__file__).resolve().parents[2] / "docs" / "plans.md"
LICENSE_COLUMNS = {
    "Basic": ["basic"],
    "Pro": ["pro"],
    "Business": ["business"],
    "Business Plus": ["business_plus"],
    "Enterprise / Education": ["enterprise", "education"],
}
SUPPORT_CODES = {"Access (default)": "access", "Premier": "premier", "Premier+": "premier_plus"}


def _table(title_cell: str) -> tuple[list[str], list[list[str]]]:
    lines = PLANS_DOC.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {title_cell}"))
    header = [c.strip() for c in lines[start].strip("|").split("|")]
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip("|").split("|")])
    return header, rows


def license_matrix() -> dict[str, dict[str, bool]]:
    """{license code: {"phone_first_line": bool, "phone_second_line": bool}} from the doc."""
    header, rows = _table("entitlement")
    found: dict[str, dict[str, bool]] = {}
    for row in rows:
        match = re.search(r"`(phone_(first|second)_line)`", row[0])
        if not match:
            continue
        for column, cell in zip(header[1:], row[1:], strict=True):
            for code in LICENSE_COLUMNS[column]:
                found.setdefault(code, {})[match.group(1)] = cell == "yes"
    return found


def support_matrix() -> dict[str, tuple[bool, bool]]:
    """{support code: (needs a paid license, direct second line for admins)} from the doc."""
    header, rows = _table("support plan")
    paid = header.index("needs a paid license")
    direct = header.index("direct second line for account admins")
    return {SUPPORT_CODES[row[0]]: (row[paid] == "yes", row[direct] == "yes") for row in rows}


LICENSES = license_matrix()
SUPPORTS = support_matrix()


def expected(license_code: str, support_code: str, role: str, dialled: str) -> str | None:
    phone = LICENSES[license_code]
    if role == "account_admin" and SUPPORTS[support_code][1]:
        return "second"
    if dialled == "second" and phone["phone_second_line"]:
        return "second"
    if phone["phone_first_line"]:
        return "first"
    return None


def test_the_matrix_was_read():
    assert set(LICENSES) == {"basic", "pro", "business", "business_plus", "enterprise", "education"}
    assert all(len(v) == 2 for v in LICENSES.values())
    assert set(SUPPORTS) == {"access", "premier", "premier_plus"}


CASES = [
    (license_code, support_code, role, dialled)
    for license_code, support_code, role, dialled in itertools.product(
        sorted(LICENSES), sorted(SUPPORTS), ["member", "account_admin"], ["first", "second"]
    )
    # A free license only takes a support plan that needs no paid one.
    if not (license_code == "basic" and SUPPORTS[support_code][0])
]


@pytest.mark.parametrize(("license_code", "support_code", "role", "dialled"), CASES)
def test_each_plan_is_routed_as_the_matrix_says(
    open_region, simulator, license_code, support_code, role, dialled
):
    from tests.factories import (
        AccountAdminFactory,
        AccountFactory,
        LicensePlanFactory,
        SupportPlanFactory,
        UserFactory,
    )
    from tierdesk.phone.models import KnownCaller

    account = AccountFactory(
        license_plan=LicensePlanFactory(code=license_code),
        support_plan=SupportPlanFactory(code=support_code),
        region=open_region,
    )
    person = (AccountAdminFactory if role == "account_admin" else UserFactory)(account=account)
    KnownCaller.objects.create(account=account, user=person, number="+15551230000")
    number = FIRST_NUMBER if dialled == "first" else SECOND_NUMBER
    result = simulator.call(["1", "3"], from_number="+15551230000", to_number=number)
    want = expected(license_code, support_code, role, dialled)
    call = Call.objects.get()
    if want is None:
        assert result.outcome == "hangup"
        assert call.state == Call.State.TURNED_AWAY
        assert any("help center" in text for text in result.heard)
        assert not QueueEntry.objects.exists()
    else:
        assert result.outcome == "queued", result.heard
        entry = QueueEntry.objects.get()
        assert entry.line == want
        assert result.queue == f"{open_region.code}-{want}"


def test_pin_identifies_the_account_and_a_wrong_pin_twice_hangs_up(open_region, simulator):
    from .conftest import make_account

    make_account(open_region, "business", pin="777777")
    ok = simulator.call(["2", "777777", "2"], from_number="+15550009", to_number=FIRST_NUMBER)
    assert ok.outcome == "queued"
    assert any(turn.twiml.count('language="it-IT"') for turn in ok.turns[1:])
    bad = simulator.call(["1", "000000", "111111"], from_number="+15550010")
    assert bad.outcome == "hangup"
    assert Call.objects.get(call_sid=bad.call_sid).state == Call.State.TURNED_AWAY


def test_a_number_that_keeps_failing_the_pin_is_not_heard_for_an_hour(open_region, simulator):
    from .conftest import make_account

    make_account(open_region, "business", pin="414141")
    for _ in range(3):
        assert simulator.call(["1", "000000", "000001"], from_number="+15559999").outcome == (
            "hangup"
        )
    locked = simulator.call(["1", "414141", "2"], from_number="+15559999")
    assert locked.outcome == "hangup"
    assert simulator.call(["1", "414141", "2"], from_number="+15558888").outcome == "queued"
