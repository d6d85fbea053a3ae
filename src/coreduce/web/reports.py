"""Reports built from the explorer: one build at a time in the server process, each kept by its configuration.

A visitor chooses the language, the window, the provincial CO2 series and the sections; the page asks for a
build of that :class:`~coreduce.report.config.ReportConfig` (HTML only, the same
:func:`~coreduce.report.build.build_report` the ``coreduce report`` command runs) and shows its progress until
the report can be opened. A configuration already built (or being built) is not built again: its key is a hash
of its TOML, and the files live under
``<user data dir>/web-reports/<key>/`` beside the ``report.toml`` that rebuilds them with the CLI. At most
:data:`QUEUE_LIMIT` builds wait at once; more are refused, so the page cannot be used to exhaust the machine.
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from coreduce.paths import user_dir
from coreduce.report.config import ReportConfig
from coreduce.web.choices import choices_from

QUEUE_LIMIT = 4
CHOICES = ("lang", "start", "end", "co2", "sections")


class ReportRequestError(ValueError):
    """A report the page cannot build: a bad choice (the message names it) or a full queue."""


@dataclass
class Job:
    """One build: its key, configuration, where it writes, and how far it has come."""

    key: str
    config: ReportConfig
    folder: Path
    state: str = "queued"  # queued, running, done, failed
    step: str = ""
    done: int = 0
    total: int = 1
    error: str = ""
    files: dict[str, Path] = field(default_factory=dict)

    def progress(self, description: str, done: int, total: int) -> None:
        self.step, self.done, self.total = description, done, max(total, 1)


_jobs: dict[str, Job] = {}
_lock = threading.Lock()
_builder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coreduce-web-report")


def config_from(query: dict[str, str]) -> ReportConfig:
    """The configuration asked for: HTML only, with the :data:`CHOICES` given (years as integers)."""
    chosen = {"formats": ["html"], **choices_from(query, CHOICES, ReportRequestError)}
    try:
        return ReportConfig.load(None, **chosen)
    except ValueError as exc:
        raise ReportRequestError(str(exc)) from None


def key_of(config: ReportConfig) -> str:
    """The build's key: the first 16 hex digits of the SHA-256 of its TOML."""
    return hashlib.sha256(config.to_toml().encode("utf-8")).hexdigest()[:16]


def _build(job: Job) -> None:
    from coreduce.report.build import build_report

    job.state = "running"
    try:
        result = build_report(None, job.folder, progress=job.progress, config=job.config)
    except Exception as exc:  # any failure is shown on the page; the server keeps running
        job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
        return
    job.files = dict(result.files)
    job.state = "done"


def request(config: ReportConfig) -> Job:
    """The job of ``config``: the existing one (queued, running or done), else a new one queued.

    Raises :class:`ReportRequestError` when :data:`QUEUE_LIMIT` builds already wait."""
    key = key_of(config)
    with _lock:
        job = _jobs.get(key)
        if job is not None and job.state != "failed":
            return job
        waiting = sum(1 for j in _jobs.values() if j.state in ("queued", "running"))
        if waiting >= QUEUE_LIMIT:
            raise ReportRequestError(f"{waiting} reports are being built; try again when one has finished")
        job = _jobs[key] = Job(key, config, user_dir() / "web-reports" / key)
    _builder.submit(_build, job)
    return job


def job(key: str) -> Job | None:
    """The job with ``key``, if this process has one."""
    return _jobs.get(key)


def report_file(key: str, name: str) -> Path | None:
    """A file of a finished build by its name in the build's folder (the HTML or report.toml), else None."""
    found = _jobs.get(key)
    if found is None or found.state != "done":
        return None
    allowed = {path.name: path for path in found.files.values()}
    allowed.setdefault("report.toml", found.folder / "report.toml")
    path = allowed.get(name)
    return path if path is not None and path.is_file() else None
