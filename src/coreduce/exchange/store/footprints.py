"""Reading and writing footprints, their search keys and their shares: the SQL behind the footprint operations.

Each function works inside a session the service opened (one transaction per operation). The API's hot reads
(ListFootprints, GetFootprint) are compiled statements in :mod:`coreduce.exchange.store.reads`; :func:`page` runs
the same page statement inside a transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coreduce.exchange.errors import Conflict, InvalidInput
from coreduce.exchange.pact.models import ProductFootprint
from coreduce.exchange.store.db import Company, Footprint, FootprintKey, Share
from coreduce.exchange.store.reads import Criteria, page_arguments, page_statement

# Search keys of a footprint (lower-cased): product ids, company ids, product classifications.
KEY_KINDS = {"p": "productIds", "c": "companyIds", "k": "productClassifications"}


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

    Raises Conflict when ``owner_id`` already stored one of the ids (the caller's transaction then stores nothing);
    ids stored by other companies do not conflict (nothing tells the caller they exist).
    """
    for pf in footprints:
        s.add(_row(pf, owner_id))
    try:
        s.flush()
    except IntegrityError:
        raise Conflict("your company already stored a footprint with one of these ids") from None
    ids = [str(p.id) for p in footprints]
    mine = select(Footprint.id, Footprint.seq).where(Footprint.owner_id == owner_id, Footprint.id.in_(ids))
    seqs = dict(s.execute(mine).all())
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
    return s.scalar(select(Footprint).where(Footprint.id == footprint_id, Footprint.owner_id == owner_id))


def count(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(Footprint)) or 0


def page(s: Session, company_id: int, query: Criteria, limit: int, after: int) -> list:
    """Up to ``limit`` rows (``seq``, ``document``) visible to ``company_id``, matching, after ``after``, read in the
    caller's transaction (the statement of the API's :meth:`~coreduce.exchange.store.reads.Reads.page`)."""
    found = page_arguments(company_id, query, limit, after)
    return [] if found is None else s.execute(page_statement(found[0]), found[1]).all()


def documents(s: Session, company_id: int, ids: list[str]) -> dict[str, tuple[bool, bool, dict]]:
    """id → (owned, visible, document) for the stored footprints among ``ids``; of several with one id, the one
    ``company_id`` owns, else the first stored it may see."""
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
        for r in sorted(rows, key=lambda r: r.seq):
            is_owner = r.owner_id == company_id
            seen = is_owner or r.seq in shared
            if r.id not in found or found[r.id][:2] < (is_owner, seen):  # owned beats visible beats neither
                found[r.id] = (is_owner, seen, json.loads(r.document))
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
