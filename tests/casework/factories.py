"""Casework test helpers: synthetic NIRs only (make_nir), people put in a cohort the way the import does."""

import itertools

from breaches.nir import make_nir
from casework.cases.services import case_open
from casework.identity import person_from_nir
from tests.breaches.factories import BreachFactory, person

_orders = itertools.count(101)


def new_nir(**kwargs) -> str:
    """A fresh valid synthetic NIR (a different order number each call)."""
    return make_nir(order=next(_orders) % 999 + 1, **kwargs)


def flagged_nir(*, fund=None, breach=None) -> str:
    """A synthetic NIR present in a cohort (routed to `fund`)."""
    nir = new_nir()
    person(breach=breach or BreachFactory(), nir=nir, fund=fund)
    return nir


def open_case(*, fund, actor, nir: str | None = None, **kwargs):
    return case_open(fund=fund, person=person_from_nir(nir or new_nir()), actor=actor,
                     summary=kwargs.pop("summary", "Dossier de test"), **kwargs)
