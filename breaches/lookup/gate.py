"""The register's one gate: every road that can tell whether a person (a NIR) or a bank account (an IBAN) is known
— lookup page and API (`service.person_lookup`, its own fast statement), check page and API, signal file and API,
a fund's export, and any road added later — passes here: the user's quota is checked under their lock
(`throttle.admit`) and the road's access-log row is written in the same transaction as the answer.

The matching itself lives here and nowhere else (tests/breaches/test_gate.py scans the code for callers):
`_flagged_digests` for people, and for accounts the matcher that casework registers (`register_account_matcher`:
breaches never imports casework). A road asks with `register_ask`; it never calls a matcher."""

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

from breaches.lookup import throttle
from breaches.lookup.log import FLAGGED, NOT_FLAGGED, PURPOSE_MAX
from breaches.models import AccessLog, AffectedPerson
from network.models import Fund

# Elsewhere than on PostgreSQL, digests asked at a time (IN lists).
DIGEST_BATCH = 500

# (account digest, person digest, fund id) -> what the account matcher found (casework: shared-account alerts)
AccountMatcher = Callable[..., list]
_account_matchers: list[AccountMatcher] = []


def register_account_matcher(matcher: AccountMatcher) -> None:
    """casework keeps the bank accounts seen with people (IBAN sightings) and raises the shared-account alerts; it
    plugs its matcher in here from its AppConfig.ready(), so that an account is only ever matched through the
    gate."""
    if matcher not in _account_matchers:
        _account_matchers.append(matcher)


@dataclass(frozen=True)
class Asker:
    """Who asks, for which fund (None: national staff), from where and why (the access-log row's columns)."""

    user: AbstractBaseUser
    fund: Fund | None = None
    purpose: str = ""
    client_address: str | None = None


@dataclass(frozen=True)
class Answer:
    flagged: set[str] = field(default_factory=set)  # the current digests of the people found in a cohort
    accounts: list = field(default_factory=list)  # what the account matcher found (shared-account alerts)


def _batches(values: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(values)
    while batch := list(islice(iterator, size)):
        yield batch


def _flagged_digests(digests: Iterable[str]) -> set[str]:
    """The subset of `digests` present in at least one cohort: fine for 100,000 digests at once.

    On PostgreSQL one statement, the digests sent as one comma-joined text (hex digests hold no comma): binding
    100,000 values one by one cost more than the match itself, and batched IN lists cost a round trip each.
    Sorted, they walk the digest index in order. Elsewhere, batched IN lists."""
    asked = sorted(set(digests))
    if not asked:
        return set()
    if connection.vendor != "postgresql":
        found: set[str] = set()
        for batch in _batches(asked, DIGEST_BATCH):
            found.update(AffectedPerson.objects.filter(nir_digest__in=batch).values_list("nir_digest", flat=True))
        return found
    with connection.cursor() as cursor:
        cursor.execute(_flagged_sql(), [",".join(asked)])
        return {digest for (digest,) in cursor.fetchall()}


@functools.cache
def _flagged_sql() -> str:
    people = connection.ops.quote_name(AffectedPerson._meta.db_table)
    return ("SELECT asked.digest FROM unnest(string_to_array(%s, ',')) AS asked (digest) "
            f"WHERE EXISTS (SELECT 1 FROM {people} AS person WHERE person.nir_digest = asked.digest)")


def _people_flagged(people: Iterable) -> set[str]:
    """The current digests of the people (anything with `digest` and `previous`) found in a cohort under any of
    their digests, so matching stays right while a key rotation is half done."""
    current_of: dict[str, str] = {}
    for person in people:
        for digest in (person.digest, *person.previous):
            current_of.setdefault(digest, person.digest)
    return {current_of[digest] for digest in _flagged_digests(current_of)}


def _accounts_matched(sightings: Sequence[tuple[str, str, int]]) -> list:
    if not sightings:
        return []
    return [found for matcher in _account_matchers for found in matcher(sightings=list(sightings))]


def flagged_result(answer: Answer) -> str:
    return FLAGGED if answer.flagged else NOT_FLAGGED


@transaction.atomic
def register_ask(*, asker: Asker, action: str, people: Iterable = (), sightings: Sequence[tuple[str, str, int]] = (),
                 quota: throttle.Quota = throttle.LOOKUPS, digest: str = "",
                 result: Callable[[Answer], str] = flagged_result) -> Answer:
    """Which of `people` (anything with `digest` and `previous`) are in a cohort, and what the account matcher
    makes of `sightings` ((IBAN digest, person digest, fund id) each), for `asker`: one access-log row (`action`,
    `digest`, `result(answer)`) under `quota`. Throttled when the quota is spent (nothing matched, nothing
    written). The road has checked the asker's right to ask (its own permission)."""
    throttle.admit(user_id=asker.user.pk, quota=quota)
    answer = Answer(flagged=_people_flagged(people), accounts=_accounts_matched(sightings))
    AccessLog.objects.create(user=asker.user, fund=asker.fund, action=action, nir_digest=digest,
                             purpose=asker.purpose[:PURPOSE_MAX], client_address=asker.client_address or None,
                             result=result(answer)[:60])
    return answer


def bulk_pass(*, user: AbstractBaseUser) -> None:
    """Inside the transaction of a road that reads a whole list and writes its own rows (a fund's export): the
    user's bulk quota, under their lock."""
    throttle.admit(user_id=user.pk, quota=throttle.BULK)
