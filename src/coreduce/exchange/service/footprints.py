"""Footprints: publish (validated here, for every caller), share, deprecate, list and get.

Every write runs in one transaction with its audit row and the PublishedEvents it causes (``source``: this host's
Action Events URL, the events' CloudEvents ``source``; None queues none), so a rejected write stores nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from coreduce.exchange.errors import AccessDenied, InvalidInput, NotFound, describe
from coreduce.exchange.jsonfile import read_json_file
from coreduce.exchange.pact import copollutant
from coreduce.exchange.pact.models import ProductFootprint
from coreduce.exchange.service.queries import FootprintQuery, Page
from coreduce.exchange.service.tenants import Principal
from coreduce.exchange.store import audit
from coreduce.exchange.store import footprints as store


def validate_footprints(items: Sequence[ProductFootprint | dict[str, Any]], source: Path | None = None) -> list:
    """PACT v3 footprints from documents or models, their co-pollutant extensions checked against its schema and
    their ids unique. InvalidInput names the footprint (``footprints.<i>``, or ``<file>: footprint <i>`` when read
    from ``source``) and the field otherwise."""

    def problem(i: int, exc: ValidationError, field: str = "") -> InvalidInput:
        if source is None:
            return InvalidInput(describe(exc, f"footprints.{i}" + (f".{field}" if field else "")))
        return InvalidInput(f"{source}: footprint {i}: {describe(exc, field)}")

    footprints = []
    for i, raw in enumerate(items):
        try:
            pf = raw if isinstance(raw, ProductFootprint) else ProductFootprint.model_validate(raw)
        except ValidationError as exc:
            raise problem(i, exc) from None
        for j, ext in enumerate(pf.extensions or []):
            if copollutant.is_copollutant(ext):
                try:
                    copollutant.CoPollutantData.model_validate(ext.data)
                except ValidationError as exc:
                    raise problem(i, exc, f"extensions.{j}.data") from None
        footprints.append(pf)
    ids = [str(p.id) for p in footprints]
    if len(set(ids)) != len(ids):
        where = "footprints: the same id" if source is None else f"{source}: the same footprint id"
        raise InvalidInput(f"{where} appears more than once")
    return footprints


def load_footprints_file(path) -> list[ProductFootprint]:
    """PACT v3 footprints from a JSON file: one footprint, a list, or ``{"data": [...]}`` (a ListFootprints body).

    Raises InvalidInput naming the file, the footprint's position and the offending field.
    """
    raw = read_json_file(path)
    if isinstance(raw, dict) and "data" in raw:
        raw = raw["data"]
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise InvalidInput(f"{path}: no footprints in the file")
    return validate_footprints(items, source=Path(path))


class Footprints:
    """Operations on footprints (part of :class:`~coreduce.exchange.service.Exchange`)."""

    def add_footprints(
        self,
        owner: Principal,
        footprints: Sequence[ProductFootprint | dict[str, Any]],
        share_with: Iterable[str] = (),
        action: str = "footprint.add",
        source: str | None = None,
    ) -> list[str]:
        """Validate and store footprints owned by ``owner``, shared with the companies named by URN (all or none).

        ``footprints`` may be PACT v3 documents (dicts) or models; see :func:`validate_footprints`. Every URN in a
        footprint's ``companyIds`` must be one ``owner`` acts for (:meth:`acts_for`), else AccessDenied and
        nothing is stored.
        """
        footprints = validate_footprints(footprints)
        if not footprints:
            raise InvalidInput("footprints: at least one footprint is needed")
        owner_id, client_id = owner.company_id, owner.client_id
        share_with = list(dict.fromkeys(share_with))
        ids = [str(p.id) for p in footprints]
        with self.session() as s, s.begin():
            allowed = self.acts_for(s, owner)
            for i, pf in enumerate(footprints):
                if not set(pf.companyIds) <= allowed:
                    raise AccessDenied(
                        f"footprints.{i}.companyIds: your client may publish only in the name of your company "
                        "or of companies that delegated to it"
                    )
            store.insert(s, footprints, owner_id, store.company_ids(s, share_with))
            target = ids[0] if len(ids) == 1 else f"{len(ids)} footprints"
            detail = json.dumps({"ids": ids[:100], "shared_with": share_with})
            audit.record(s, owner_id, client_id, action, target, detail)
            queued = self.queue_published(s, owner, ids, share_with, source)
        if queued:
            self.queued.set()
        return ids

    def share(
        self, owner: Principal, footprint_id: str, company_urns: Iterable[str], source: str | None = None
    ) -> list[str]:
        """Share one of ``owner``'s footprints with more companies (one transaction); the URNs newly given access
        (sent a PublishedEvent)."""
        with self.session() as s, s.begin():
            row = store.owned(s, footprint_id, owner.company_id)
            if row is None:
                raise NotFound(f"you own no footprint with id {footprint_id!r}")
            urns = list(dict.fromkeys(company_urns))
            added = store.share(s, row.seq, urns)
            audit.record(
                s, owner.company_id, owner.client_id, "footprint.share", footprint_id, json.dumps({"shared_with": urns})
            )
            queued = self.queue_published(s, owner, [footprint_id], added, source)
        if queued:
            self.queued.set()
        return added

    def list_footprints(self, company_id: int, query: FootprintQuery, limit: int, after: int = 0) -> Page:
        """Footprints visible to ``company_id`` matching ``query``, in storage order after sequence ``after``."""
        rows = self.reads.page(company_id, query, limit + 1, after)
        more = len(rows) > limit
        rows = rows[:limit]
        return Page([r[1] for r in rows], rows[-1][0] if more and rows else None)

    def footprint_document(self, company_id: int, footprint_id: str) -> str:
        """One footprint's stored JSON text; NotFound, with the same message, whether it is absent or neither owned
        nor shared (the answer never tells whether another company stored this id)."""
        try:
            UUID(footprint_id)
        except ValueError:
            raise NotFound(f"no footprint with id {footprint_id!r} (footprint ids are UUIDs)") from None
        document = self.reads.document(footprint_id, company_id)
        if document is None:
            raise NotFound(f"no footprint with id {footprint_id!r} visible to your company")
        return document

    def get_footprint(self, company_id: int, footprint_id: str) -> dict:
        """One footprint as a document (see :meth:`footprint_document`)."""
        return json.loads(self.footprint_document(company_id, footprint_id))

    def deprecate(self, owner: Principal, footprint_id: str, source: str | None = None) -> list[str]:
        """Set a footprint's status to Deprecated, the one change PACT v3 allows after creation.

        Returns the URNs of the companies it is shared with when its status changed (none if it was already
        Deprecated): the recipients sent a PublishedEvent of the update.
        """
        with self.session() as s, s.begin():
            row = store.owned(s, footprint_id, owner.company_id)
            if row is None:
                raise NotFound(f"you own no footprint with id {footprint_id!r}")
            changed = row.status != "Deprecated"
            recipients = store.recipients(s, row.seq)
            document = json.loads(row.document)
            document["status"] = row.status = "Deprecated"
            row.document = json.dumps(document, separators=(",", ":"))
            audit.record(s, owner.company_id, owner.client_id, "footprint.deprecate", footprint_id)
            recipients = sorted(recipients) if changed else []
            queued = self.queue_published(s, owner, [footprint_id], recipients, source)
        if queued:
            self.queued.set()
        return recipients
