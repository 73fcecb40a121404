"""Parse big files in worker processes: checks, digest and seal are CPU-bound Python, the main process keeps
reading the file and feeding COPY. Order is kept and memory stays bounded (a fixed window of chunks in flight).
"""

import logging
import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice

from breaches.importing.reading import SourceRow
from breaches.importing.routing import Router
from breaches.importing.rows import Accepted, Rejected, parse_row

logger = logging.getLogger(__name__)

CHUNK = 2000
WINDOW = 8
_state: dict = {}


def _start(router: Router, allow_missing_key: bool) -> None:
    _state.update(router=router, allow_missing_key=allow_missing_key)


def _parse_chunk(rows: list[tuple[int, dict]]) -> list[Accepted | Rejected]:
    router, allow = _state["router"], _state["allow_missing_key"]
    return [parse_row(SourceRow(line, values), router=router, allow_missing_key=allow) for line, values in rows]


def parsed_rows(rows: Iterator[SourceRow], *, router: Router, allow_missing_key: bool,
                processes: int) -> Iterator[Accepted | Rejected]:
    """parse_row over `rows`, in `processes` forked workers when more than one (results in file order)."""
    if processes <= 1:
        for row in rows:
            yield parse_row(row, router=router, allow_missing_key=allow_missing_key)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_start,
                             initargs=(router, allow_missing_key)) as pool:
        pending: deque = deque()
        while chunk := list(islice(rows, CHUNK)):
            pending.append(pool.submit(_parse_chunk, [(row.line, row.values) for row in chunk]))
            if len(pending) >= WINDOW:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()

