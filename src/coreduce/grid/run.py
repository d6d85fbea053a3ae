"""Running the block tasks: in this process, on a local Dask cluster or on any Dask cluster, with progress bars."""

from __future__ import annotations

import os
from pathlib import Path

from coreduce.grid.errors import GridError
from coreduce.grid.plan import Plan, block_task, task_args
from coreduce.grid.zonal import BlockSums

CONNECT_TIMEOUT = "10s"
"""How long to wait for a remote Dask scheduler before giving up."""


def client_for(scheduler):
    """A distributed Client, whether we own it (to close) and a label; None for the synchronous path."""
    if scheduler == "sync":
        return None, False, "sync (no Dask)"
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        return scheduler, False, f"dask {scheduler.scheduler.address}"
    if scheduler in (None, "local"):
        workers = max(1, min(os.cpu_count() or 1, 4))
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
        return Client(cluster), True, f"dask local cluster ({workers} workers)"
    if isinstance(scheduler, str):
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT), True, f"dask {scheduler}"
        except (OSError, ValueError, TypeError) as exc:
            raise GridError(
                f"cannot reach the Dask scheduler at {scheduler!r} ({exc}); give 'local', 'sync' or the address "
                "of a running scheduler such as tcp://host:8786"
            ) from exc
    raise GridError(f"scheduler must be 'sync', 'local', an address or a distributed.Client, got {scheduler!r}")


def progress_bar(enabled: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=not enabled,
        transient=False,
    )


def run_blocks(plans: list[Plan], client, progress: bool, args) -> dict[tuple[int, int], BlockSums]:
    """Run every block task (here, or on ``client``), advancing the progress bar of each file of the block."""
    results: dict[tuple[int, int], BlockSums] = {}
    with progress_bar(progress) as bar:
        bars = [[bar.add_task(Path(f.path).name, total=len(p.blocks)) for f in p.files] for p in plans]

        def done(i: int) -> None:
            for task in bars[i]:
                bar.advance(task)

        if client is None:
            for i, plan in enumerate(plans):
                for j, block in enumerate(plan.blocks):
                    results[(i, j)] = block_task(*task_args(plan, block, *args))
                    done(i)
            return results
        from distributed import as_completed

        futures = {}
        for i, plan in enumerate(plans):
            for j, block in enumerate(plan.blocks):
                futures[client.submit(block_task, *task_args(plan, block, *args), pure=False)] = (i, j)
        for future in as_completed(list(futures)):
            key = futures[future]
            results[key] = future.result()
            done(key[0])
    return results
