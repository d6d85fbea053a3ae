"""The delivery worker: sends the events queued in the outbox until each is delivered or its retry window ends.

It runs inside ``coreduce serve`` (a thread started and stopped with the application) or alone
(``coreduce exchange deliver``); several workers, in one process or many, may serve one database: each event is
claimed by one worker at a time (:func:`coreduce.exchange.store.outbox.claim`). A worker claims the due events,
sends each once (hosts in parallel, up to ``MAX_PARALLEL_HOSTS``; events of one host one after the other), and
records every try with its HTTP status and error (:meth:`coreduce.exchange.service.Exchange.record_try`); then it
looks again when an event is queued in this process or every ``Settings.delivery_poll`` seconds. As the queue is
in the database, events survive a restart or a crash: a try in flight when a worker died is made again once the
dead worker's claim expires (``Settings.delivery_lease``); the receiver sees the same CloudEvents id each time
(PACT / CloudEvents: ``source`` + ``id`` identify an event) and deduplicates. Every ``Settings.purge_every``
seconds the worker also deletes finished events past their retention (``Settings.keep_delivered`` /
``keep_ended``).
"""

from __future__ import annotations

import logging
import os
import random
import socket
import ssl
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx

from coreduce.exchange.chain import outbound
from coreduce.exchange.chain.outbound import Outcome
from coreduce.exchange.settings import Settings
from coreduce.exchange.store.outbox import Due

MAX_PARALLEL_HOSTS = 8
BATCH = 32
log = logging.getLogger(__name__)


class DeliveryWorker:
    """Sends queued events of ``exchange`` with the outbound hosts and retry rules of ``settings``."""

    def __init__(self, exchange, settings: Settings, rng: random.Random | None = None, clock=time.monotonic):
        self.exchange, self.settings = exchange, settings
        self.name = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.rng, self.clock = rng or random.Random(), clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_purge: float | None = None

    def purge_if_due(self) -> dict[str, int] | None:
        """Delete finished events past their retention if ``purge_every`` seconds have passed since the last purge
        of this worker (or none was made yet); what was deleted, None when not due."""
        now = self.clock()
        if self._next_purge is not None and now < self._next_purge:
            return None
        self._next_purge = now + self.settings.purge_every
        return self.exchange.purge_events(self.settings.keep_delivered, self.settings.keep_ended)

    def _verify(self):
        verify = self.settings.outbound_verify
        return ssl.create_default_context(cafile=verify) if isinstance(verify, str) else verify

    def run_once(self) -> dict[str, int]:
        """Claim the due events, try each once and record the tries; the count of each result."""
        claimed = self.exchange.claim_events(self.name, timedelta(seconds=self.settings.delivery_lease), BATCH)
        by_url: dict[str, list[Due]] = {}
        for due in claimed:
            by_url.setdefault(due.url, []).append(due)
        results: dict[str, int] = {}
        if not by_url:
            return results
        with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_HOSTS, len(by_url))) as pool:
            for done in pool.map(self._send_all, by_url.values()):
                for result in done:
                    results[result] = results.get(result, 0) + 1
        return results

    def _send_all(self, events: list[Due]) -> list[str]:
        """Try each event (all for one Action Events URL) once, over one connection."""
        host = outbound.outbound_host(events[0].url, self.settings.outbound)
        with httpx.Client(verify=self._verify(), timeout=self.settings.delivery_timeout) as client:
            results = []
            for due in events:
                if host is None:  # the host left the configuration after the event was queued
                    outcome = Outcome(None, f"{due.url} is no longer a configured outbound host")
                else:
                    outcome = outbound.send(client, host, due.url, due.body)
                results.append(self.exchange.record_try(due, self.name, outcome, self.settings, self.rng))
        return results

    def run(self) -> None:
        """Deliver until :meth:`stop`: after each round with work, look again at once; else wait to be woken."""
        while not self._stop.is_set():
            self.exchange.queued.clear()  # an event queued from here on wakes the wait below
            try:
                self.purge_if_due()
                worked = self.run_once()
            except Exception:  # e.g. a database that is briefly away: delivery goes on, the next round retries
                log.exception("event delivery round failed; trying again in %s s", self.settings.delivery_poll)
                worked = {}
            if not worked:
                self.exchange.queued.wait(self.settings.delivery_poll)

    def start(self) -> DeliveryWorker:
        self._thread = threading.Thread(target=self.run, name="coreduce-delivery", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self.exchange.queued.set()
        if self._thread is not None:
            self._thread.join(timeout)
