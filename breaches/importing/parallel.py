"""Parse big files in worker processes: checks, digest, seal and COPY formatting are CPU-bound Python; the main
process only finds where records end and feeds COPY. Order is kept and memory stays bounded (a fixed window of
chunks in flight).
"""

import ctypes
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from breaches.importing.reading import Chunk
from breaches.importing.routing import Router
from breaches.importing.rows import Parsed, parse_chunk

POOL_CHUNK = 2000  # records sent to a worker process at a time
LOCAL_CHUNK = 500  # records parsed at a time in-process (the progress bar moves by as much)
WINDOW = 8
_PR_SET_PDEATHSIG = 1
_state: dict = {}


def chunk_size(processes: int) -> int:
    return POOL_CHUNK if processes > 1 else LOCAL_CHUNK


def _start(parent: int, options: dict) -> None:
    _die_with_parent(parent)
    _state.update(options)


def _die_with_parent(parent: int) -> None:
    """Linux: this worker is killed when the process that forked it dies (a SIGKILLed Celery worker or command
    leaves no parser behind, blocked for ever on its queue)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool still stops with its parent's normal exit
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _parse_in_worker(chunk: Chunk) -> Parsed:
    return parse_chunk(chunk, **_state)


def parsed_chunks(chunks: Iterator[Chunk], *, router: Router, allow_missing_key: bool, as_copy_text: bool,
                  processes: int) -> Iterator[Parsed]:
    """parse_chunk over `chunks`, in `processes` forked workers when more than one (results in file order)."""
    options = {"router": router, "allow_missing_key": allow_missing_key, "as_copy_text": as_copy_text}
    if processes <= 1:
        yield from map(partial(parse_chunk, **options), chunks)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_start,
                             initargs=(os.getpid(), options)) as pool:
        pending: deque = deque()
        for chunk in _draining_on_failure(chunks, pending):
            pending.append(pool.submit(_parse_in_worker, chunk))
            if len(pending) >= WINDOW:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _draining_on_failure(chunks: Iterator[Chunk], pending: deque) -> Iterator[Chunk]:
    """`chunks`; when the reading fails further on, a refusal in a chunk before it comes first."""
    iterator = iter(chunks)
    while True:
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        except Exception:
            for future in pending:
                future.result()
            raise
        yield chunk
