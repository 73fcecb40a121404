import datetime

import pytest
from stdnum import iban as stdnum_iban

from casework.iban import IbanError, make_french_iban, rib_key, validate_iban
from casework.risk.models import SharedAccountAlert
from casework.risk.selectors import alerts_for
from casework.risk.services import signals_ingest
from tests.casework.factories import new_nir
from tests.casework.test_signals import _assert_nowhere_in_casework_tables
from tests.factories import FundFactory

YESTERDAY = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()


def test_known_good_french_iban_passes():
    assert validate_iban("fr76 3000 6000 0112 3456 7890 189") == "FR7630006000011234567890189"


def test_rib_key_with_letters_in_the_account():
    # A/J=1 … I/R/Z=9: 'A' counts as 1
    assert rib_key(bank="30004", branch="00823", account="0001234567A") == rib_key(
        bank="30004", branch="00823", account="00012345671")


def test_mod97_alone_is_not_enough():
    good = make_french_iban()
    bban = good[4:-2] + "00"  # wrong RIB key, then mod-97 digits recomputed so that mod 97 passes
    forged = "FR" + stdnum_iban.calc_check_digits("FR00" + bban) + bban
    assert stdnum_iban.is_valid(forged)  # python-stdnum checks mod 97 and layout only
    with pytest.raises(IbanError, match="clé RIB"):
        validate_iban(forged)


def test_bad_mod97_is_refused():
    good = make_french_iban()
    with pytest.raises(IbanError, match="modulo 97"):
        validate_iban(good[:2] + ("00" if good[2:4] != "00" else "01") + good[4:])


def test_foreign_iban_checked_by_mod97_only():
    assert validate_iban("DE89 3704 0044 0532 0130 00") == "DE89370400440532013000"


def test_one_iban_on_three_people_in_two_funds_raises_one_alert_seen_by_both(
        national, fund_a, fund_b, agent_a, agent_b):
    mule = make_french_iban(account="00098765432")
    other = FundFactory(code="351", departments=["35"])
    rows = [{"nir": new_nir(), "kind": "bank_details", "occurred_on": YESTERDAY, "fund": code, "iban": mule}
            for code in ("561", "561", "291")]
    result = signals_ingest(actor=national, rows=rows)
    assert result.alerts == 1
    alert = SharedAccountAlert.objects.get()
    assert alert.people_count == 3 and set(alert.funds.values_list("code", flat=True)) == {"561", "291"}
    assert list(alerts_for(user=agent_a)) == [alert] and list(alerts_for(user=agent_b)) == [alert]
    assert list(alerts_for(user=national)) == [alert]
    assert other not in alert.funds.all()
    signals_ingest(actor=national, rows=rows)  # the same signals again: still one alert, same people
    assert SharedAccountAlert.objects.get().people_count == 3
    _assert_nowhere_in_casework_tables([mule, mule[4:]])


def test_alert_is_not_seen_by_a_fund_not_concerned(national, fund_a, fund_b, agent_b):
    mule = make_french_iban(account="00011111111")
    rows = [{"nir": new_nir(), "kind": "bank_details", "occurred_on": YESTERDAY, "fund": "561", "iban": mule}
            for _ in range(2)]
    signals_ingest(actor=national, rows=rows)
    assert SharedAccountAlert.objects.count() == 1 and not alerts_for(user=agent_b).exists()


def test_same_person_twice_is_no_alert(national, fund_a):
    nir, iban = new_nir(), make_french_iban()
    rows = [{"nir": nir, "kind": "bank_details", "occurred_on": d, "fund": "561", "iban": iban}
            for d in ("2026-01-02", "2026-01-03")]
    assert signals_ingest(actor=national, rows=rows).alerts == 0


def test_check_iban_counts_towards_alerts(national, agent_a, agent_b, fund_a, fund_b, api):
    from casework.checks.services import check_log

    mule = make_french_iban(account="00022222222")
    check_log(actor=agent_a, nir=new_nir(), kind="bank_details", channel="phone", outcome="anomaly", iban=mule)
    check_log(actor=agent_b, nir=new_nir(), kind="bank_details", channel="counter", outcome="anomaly", iban=mule)
    api.force_authenticate(agent_b)
    alerts = api.get("/api/v1/alerts/").json()["results"]
    assert len(alerts) == 1 and alerts[0]["people_count"] == 2 and sorted(alerts[0]["funds"]) == ["291", "561"]
