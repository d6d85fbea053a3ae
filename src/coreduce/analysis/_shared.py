"""Intermediate results computed once per run where several analyses need the same one.

The NQPF-effect table re-estimates its model under eleven specifications and recomputes the co-reduction status
under six coupling variants; most of them share the NQPF index (it depends on the window and the index's own
conventions only) or the co-reduction status (its own conventions only). Inside :func:`shared_results` (the
report and :func:`~coreduce.analysis.nqpf_effect.nqpf_effect` open one), :func:`shared` computes a result once
per (analysis, panel, the values of the conventions that result records) and hands each caller its own deep
copy, so no caller can change what another receives. Outside such a block every call computes afresh.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")
_RUN: ContextVar[dict | None] = ContextVar("coreduce_shared_results", default=None)


@contextmanager
def shared_results() -> Iterator[None]:
    """Share results computed by :func:`shared` until the block ends (a block inside another joins it)."""
    if _RUN.get() is not None:
        yield
        return
    token = _RUN.set({})
    try:
        yield
    finally:
        _RUN.reset(token)


def shared(
    name: str, panel: Any, conventions: Any, keys: Sequence[str], compute: Callable[[], T], *extra: Hashable
) -> T:
    """``compute()``, or a copy of the result it gave for the same ``name``, ``panel`` (the same object), values
    of the conventions ``keys`` (every convention the result depends on: the ones it records) and ``extra``
    arguments within the current :func:`shared_results` block."""
    store = _RUN.get()
    if store is None:
        return compute()
    key = (name, id(panel), tuple(getattr(conventions, k) for k in keys), extra)
    if key not in store:
        store[key] = (panel, compute())  # the panel is kept so that its id is not reused within the run
    return copy.deepcopy(store[key][1])
