"""Reading and writing footprints, their search keys and their shares: the SQL behind the footprint operations.

Each function works inside a session the service opened (one transaction per operation). ListFootprints reads the
owned and the shared footprints by two ordered index scans (``owner_id, seq`` and ``company_id, footprint_seq``)
merged by sequence, so a page costs about ``limit`` rows whatever the table size and the filters' selectivity.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import and_, exists, func, or_, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coreduce.exchange.errors import Conflict, InvalidInput
from coreduce.exchange.pact.models import ProductFootprint
from coreduce.exchange.store.db import Company, Footprint, FootprintKey, Share

# Search keys of a footprint (lower-cased): product ids, company ids, product classifications.
KEY_KINDS = {"p": "productIds", "c": "companyIds", "k": "productClassifications"}


class Criteria(Protocol):
    """The ListFootprints criteria the query needs (see :class:`coreduce.exchange.service.queries.FootprintQuery`)."""

    product_id: list[str]
    company_id: list[str]
    geography: list[str]
    classification: list[str]
    valid_on: datetime | None
    valid_after: datetime | None
    valid_before: datetime | None
    status: str | None


def company_ids(s: Session, urns: list[str], field: str = "shareWith") -> list[int]:
    """Database ids of the companies named by ``urns`` (in order); InvalidInput when one is unknown (not named, so
    that the answer does not confirm which of the companies are registered)."""
    if not urns:
        return []
    found = dict(s.execute(select(Company.urn, Company.id).where(Company.urn.in_(urns))).all())
    missing = [u for u in urns if u not in found]
    if missing:
        raise InvalidInput(f"{field}: not every company identifier given is known to this exchange")
    return [found[u] for u in urns]


def _row(pf: ProductFootprint, owner_id: int) -> Footprint:
    valid_from, valid_to = pf.validity()
    geography = pf.pcf.geography
    return Footprint(
        id=str(pf.id),
        owner_id=owner_id,
        status=pf.status,
        valid_from=valid_from,
        valid_to=valid_to,
        geography=geography.lower() if geography else None,
        document=json.dumps(pf.to_json(), separators=(",", ":")),
    )


def insert(s: Session, footprints: Sequence[ProductFootprint], owner_id: int, recipients: list[int]) -> None:
    """Store ``footprints`` owned by ``owner_id`` with their search keys, shared with ``recipients``.

    Raises Conflict when an id is already stored (the caller's transaction then stores nothing).
    """
    for pf in footprints:
        s.add(_row(pf, owner_id))
    try:
        s.flush()
    except IntegrityError:
        raise Conflict("a footprint with one of these ids is already stored") from None
    ids = [str(p.id) for p in footprints]
    seqs = dict(s.execute(select(Footprint.id, Footprint.seq).where(Footprint.id.in_(ids))).all())
    keys = [
        {"footprint_seq": seqs[str(pf.id)], "kind": kind, "value": v.lower()}
        for pf in footprints
        for kind, attr in KEY_KINDS.items()
        for v in getattr(pf, attr) or []
    ]
    if keys:
        s.execute(FootprintKey.__table__.insert(), keys)
    shares = [{"footprint_seq": seq, "company_id": c} for seq in seqs.values() for c in recipients]
    if shares:
        s.execute(Share.__table__.insert(), shares)


def owned(s: Session, footprint_id: str, owner_id: int) -> Footprint | None:
    """The stored footprint ``footprint_id`` if ``owner_id`` owns it, else None."""
    row = s.scalar(select(Footprint).where(Footprint.id == footprint_id))
    return row if row is not None and row.owner_id == owner_id else None


def get(s: Session, footprint_id: str, company_id: int) -> tuple[bool, str] | None:
    """(whether ``company_id`` may see it, stored document) of footprint ``footprint_id``; None when not stored."""
    row = s.execute(select(Footprint.seq, Footprint.document).where(Footprint.id == footprint_id)).first()
    if row is None:
        return None
    seen = s.scalar(select(Footprint.seq).where(Footprint.seq == row.seq, visible(company_id)))
    return seen is not None, row.document


def count(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(Footprint)) or 0


def visible(company_id: int):
    """SQL condition: the footprint is owned by or shared with ``company_id``."""
    return or_(
        Footprint.owner_id == company_id,
        exists().where(and_(Share.footprint_seq == Footprint.seq, Share.company_id == company_id)),
    )


def _conditions(query: Criteria) -> list | None:
    """The WHERE conditions of ``query`` (None when it can match nothing)."""
    conditions = []
    for kind, values in (("p", query.product_id), ("c", query.company_id), ("k", query.classification)):
        if values:
            matching = select(FootprintKey.footprint_seq).where(
                FootprintKey.kind == kind, FootprintKey.value.in_([v.lower() for v in values])
            )
            conditions.append(Footprint.seq.in_(matching))  # driven by the (kind, value, seq) index
    if query.geography:
        conditions.append(Footprint.geography.in_([g.lower() for g in query.geography]))
    if query.valid_on is not None:
        conditions += [Footprint.valid_from <= query.valid_on, Footprint.valid_to >= query.valid_on]
    if query.valid_after is not None:
        conditions.append(Footprint.valid_from > query.valid_after)
    if query.valid_before is not None:
        conditions.append(Footprint.valid_to < query.valid_before)
    if query.status is not None:
        # stored values are exactly "Active" / "Deprecated" (the model's Literal): compare the column itself so
        # the planner uses its statistics; any other value matches nothing (no query needed)
        status = {"active": "Active", "deprecated": "Deprecated"}.get(query.status.lower())
        if status is None:
            return None
        conditions.append(Footprint.status == status)
    return conditions


def page(s: Session, company_id: int, query: Criteria, limit: int, after: int) -> list:
    """Up to ``limit + 1`` rows (``seq``, ``document``) visible to ``company_id``, matching, after ``after``."""
    conditions = _conditions(query)
    if conditions is None:
        return []
    owned_ = (
        select(Footprint.seq, Footprint.document)
        .where(Footprint.owner_id == company_id, Footprint.seq > after, *conditions)
        .order_by(Footprint.seq)
        .limit(limit + 1)
        .subquery()
    )
    shared = (  # ordered by the share's own column so that SQLite walks ix_shares_company without sorting
        select(Share.footprint_seq.label("seq"), Footprint.document)
        .select_from(Share)
        .join(Footprint, Footprint.seq == Share.footprint_seq)
        .where(Share.company_id == company_id, Share.footprint_seq > after, Footprint.seq > after)
        .where(Footprint.owner_id != company_id)
        .where(*conditions)
        .order_by(Share.footprint_seq)
        .limit(limit + 1)
        .subquery()
    )
    both = union_all(select(owned_.c.seq, owned_.c.document), select(shared.c.seq, shared.c.document)).subquery()
    return s.execute(select(both.c.seq, both.c.document).order_by(both.c.seq).limit(limit + 1)).all()


def documents(s: Session, company_id: int, ids: list[str]) -> dict[str, tuple[bool, bool, dict]]:
    """id → (owned, visible, document) for the stored footprints among ``ids``."""
    found: dict[str, tuple[bool, bool, dict]] = {}
    for lo in range(0, len(ids), 1000):
        chunk = ids[lo : lo + 1000]
        rows = s.execute(
            select(Footprint.id, Footprint.seq, Footprint.owner_id, Footprint.document).where(Footprint.id.in_(chunk))
        ).all()
        shared = set(
            s.scalars(
                select(Share.footprint_seq).where(
                    Share.company_id == company_id, Share.footprint_seq.in_([r.seq for r in rows])
                )
            )
        )
        for r in rows:
            is_owner = r.owner_id == company_id
            found[r.id] = (is_owner, is_owner or r.seq in shared, json.loads(r.document))
    return found


def share(s: Session, seq: int, urns: list[str]) -> list[str]:
    """Share footprint ``seq`` with the companies ``urns``; the URNs that did not have access before."""
    added = []
    for urn, company_id in zip(urns, company_ids(s, urns), strict=True):
        if s.get(Share, (seq, company_id)) is None:
            s.add(Share(footprint_seq=seq, company_id=company_id))
            added.append(urn)
    return added


def recipients(s: Session, seq: int) -> list[str]:
    """URNs of the companies a footprint is shared with."""
    return list(
        s.scalars(select(Company.urn).join(Share, Share.company_id == Company.id).where(Share.footprint_seq == seq))
    )
