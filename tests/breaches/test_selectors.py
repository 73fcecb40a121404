from breaches.crypto import nir_digest
from breaches.nir import make_nir
from breaches.selectors import flagged_digests, people_by_digest
from tests.breaches.factories import BreachFactory, person


def test_a_person_in_two_breaches_is_found_in_both_with_one_query(fund_a, django_assert_num_queries):
    nir = make_nir(order=7)
    first, second = BreachFactory(), BreachFactory()
    person(breach=first, nir=nir, fund=fund_a)
    person(breach=second, nir=nir)
    person(breach=first, nir=make_nir(order=8))
    with django_assert_num_queries(1):
        rows = [(p.breach.reference, p.fund and p.fund.code) for p in people_by_digest(digest=nir_digest(nir))]
    assert sorted(rows, key=str) == sorted([(first.reference, "561"), (second.reference, None)], key=str)


def test_flagged_digests_in_batches(db, django_assert_num_queries, monkeypatch):
    breach = BreachFactory()
    flagged = [make_nir(order=n) for n in range(1, 6)]
    for nir in flagged:
        person(breach=breach, nir=nir)
    others = [nir_digest(make_nir(order=n)) for n in range(100, 120)]
    monkeypatch.setattr("breaches.selectors.DIGEST_BATCH", 10)
    asked = [nir_digest(n) for n in flagged] + others
    with django_assert_num_queries(3):
        assert flagged_digests(digests=iter(asked)) == {nir_digest(n) for n in flagged}
    assert flagged_digests(digests=[]) == set()
