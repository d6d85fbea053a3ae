"""Work a second process does while the report's own process goes on (the machine's second core).

:class:`Background` runs a generator function in a child process forked from this one, so the child starts with
this process's memory (the panel, the drawn figures) and nothing is copied to it; each value the generator yields
is pickled back and read, in order, by :meth:`Background.get`. The report uses it for the NQPF-effect estimates
(eleven fixed-effects regressions, the longest analysis) while the other sections are built, and for drawing half
of the figures while this process draws the other half.

Nothing changes in what is computed: a child runs the same code on the same inputs. Where a child cannot be used
(no ``fork``, as on Windows and macOS; one CPU; ``COREDUCE_REPORT_PROCESSES=1``) or a child fails (it raised,
died, or its value does not pickle), :meth:`Background.get` computes the value in this process instead, so the
result and any exception are those of a run without a child.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")
PROCESSES_ENV = "COREDUCE_REPORT_PROCESSES"
"""Set to 1 to build the report in one process."""


WAIT = 300.0
"""Seconds to wait for a child's next value before stopping it and computing the value here."""


def second_process() -> bool:
    """Whether a child process may share the work: ``fork`` exists (Linux), two CPUs are usable,
    ``COREDUCE_REPORT_PROCESSES`` does not say 1, and this process runs one thread (a fork copies no other
    thread, and a lock another thread held would stay held in the child: the web server builds in one process)."""
    if os.environ.get(PROCESSES_ENV, "").strip() == "1" or not sys.platform.startswith("linux"):
        return False
    if multiprocessing.current_process().daemon:  # a daemonic process may not start children
        return False
    return threading.active_count() == 1 and len(os.sched_getaffinity(0)) >= 2


@contextlib.contextmanager
def frozen_collector() -> Iterator[None]:
    """A block in which the objects alive at its start are out of the garbage collector's reach (``gc.freeze``):
    a collection then walks only what the block made, and a forked child does not touch (and so copy) the pages
    of what it shares with this process. The objects are given back to the collector at the end, unless an
    enclosing block froze them (it gives back all)."""
    enclosed = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not enclosed:
            gc.unfreeze()


def _child(job: Callable[[], Iterator[Any]], channel) -> None:
    """Send ``(True, value, warnings)`` for each value ``job`` yields (with the warnings raised computing it, which
    the parent raises again); ``(False, None, [])`` when it raises or a value does not pickle (the parent then
    computes in its own process)."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            for value in job():
                raised = [(w.category, str(w.message), w.filename, w.lineno) for w in caught]
                caught.clear()
                channel.send((True, value, raised))
    except BaseException:
        channel.send((False, None, []))
    finally:
        channel.close()


class ChildFailed(RuntimeError):
    """The child gave no value (it raised, died or did not answer) and the caller computes it instead."""


class Background(Generic[T]):
    """The values of ``job()`` (a generator function), computed by a forked child when :func:`second_process`
    allows and read in order by :meth:`get`; otherwise, or when the child fails, computed here on demand (with
    ``local=False`` a failed child raises :class:`ChildFailed` instead, for a caller that computes each value its
    own way)."""

    def __init__(self, job: Callable[[], Iterator[T]], *, local: bool = True) -> None:
        self._job = job
        self._fallback = local
        self._received = 0
        self._local: Iterator[T] | None = None
        self._process = None
        self._channel = None
        self._failed = False
        if second_process():
            context = multiprocessing.get_context("fork")
            self._channel, sender = context.Pipe(duplex=False)
            self._process = context.Process(target=_child, args=(job, sender), daemon=True)
            with frozen_collector():  # the child's collector then never walks (and copies) what it shares with us
                try:
                    self._process.start()
                except OSError:  # no memory or process left for a fork: as a failed child
                    self._process, self._failed = None, True
            sender.close()

    def ready(self) -> bool:
        """Whether :meth:`get` would answer at once (the child has sent something or ended; or there is none)."""
        try:
            return self._process is None or self._channel.poll(0)
        except (EOFError, OSError):
            return True

    def get(self) -> T:
        """The next value of the job (from the child, or computed here)."""
        if self._process is not None:
            ok, value, raised = False, None, []
            try:
                if self._channel.poll(WAIT):
                    ok, value, raised = self._channel.recv()
            except (EOFError, OSError):
                pass
            if ok:
                self._received += 1
                for category, text, filename, lineno in raised:
                    warnings.warn_explicit(text, category, filename, lineno)
                return value
            self.close(stop=True)
            self._failed = True
        if self._failed and not self._fallback:
            raise ChildFailed("the second process gave no value")
        if self._local is None:  # compute here, skipping the values the child already gave
            self._local = iter(self._job())
            for _ in range(self._received):
                next(self._local)
        return next(self._local)

    def close(self, stop: bool = False) -> None:
        """Wait for the child (if any; ``stop``: stop it first) and release it."""
        if self._process is not None:
            self._channel.close()
            if stop and self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None


def once(compute: Callable[[], T]) -> Callable[[], Iterator[T]]:
    """A generator function yielding ``compute()``: one value for :class:`Background`."""

    def job() -> Iterator[T]:
        yield compute()

    return job
