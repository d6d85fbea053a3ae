"""The exchange's core: tenants, credentials, footprints, sharing, filtering, events and the audit log.

Every operation is a method of :class:`Exchange` so that the HTTP API, the CLI and Python users share one
implementation. Each write runs in one database transaction and adds an audit-log row in the same transaction,
so a rejected write stores nothing.

Filters of ListFootprints (PACT v3.0, ``components.parameters``): values of one repeated parameter are OR-ed,
different parameters are AND-ed; identifier and geography matches are case-insensitive; the validity period of a
footprint without one is the spec's default, from ``referencePeriodEnd`` for 3 years:

* ``validOn``: validityPeriodStart <= validOn <= validityPeriodEnd
* ``validAfter``: validityPeriodStart > validAfter
* ``validBefore``: validityPeriodEnd < validBefore
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import and_, exists, func, or_, select, union_all
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from coreduce.exchange import security
from coreduce.exchange.db import (
    AccessToken,
    AuditEntry,
    Client,
    Company,
    Footprint,
    FootprintKey,
    ReceivedEvent,
    Share,
    utcnow,
)
from coreduce.exchange.errors import ApiError
from coreduce.exchange.models import ProductFootprint


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: a company acting through one of its clients."""

    company_id: int
    client_id: str | None
    company_urn: str


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str
    company_urn: str


@dataclass
class FootprintQuery:
    """ListFootprints criteria; empty lists mean no constraint."""

    product_id: list[str] = field(default_factory=list)
    company_id: list[str] = field(default_factory=list)
    geography: list[str] = field(default_factory=list)
    classification: list[str] = field(default_factory=list)
    valid_on: datetime | None = None
    valid_after: datetime | None = None
    valid_before: datetime | None = None
    status: str | None = None

    def as_params(self) -> list[tuple[str, str]]:
        from coreduce.exchange.models import format_utc

        params = [("productId", v) for v in self.product_id]
        params += [("companyId", v) for v in self.company_id]
        params += [("geography", v) for v in self.geography]
        params += [("classification", v) for v in self.classification]
        for name, value in (
            ("validOn", self.valid_on),
            ("validAfter", self.valid_after),
            ("validBefore", self.valid_before),
        ):
            if value is not None:
                params.append((name, format_utc(value)))
        if self.status is not None:
            params.append(("status", self.status))
        return params


@dataclass
class Page:
    """One page of ListFootprints: the stored JSON documents and the cursor of the next page (None = last)."""

    documents: list[str]
    next_after: int | None

    @property
    def footprints(self) -> list[dict]:
        return [json.loads(d) for d in self.documents]

    def body(self) -> bytes:
        """The response body ``{"data": [...]}`` assembled from the stored documents without re-encoding them."""
        return b'{"data":[' + ",".join(self.documents).encode() + b"]}"


class Exchange:
    """Operations on one exchange database (see module docstring)."""

    def __init__(self, engine: Engine, token_ttl: timedelta = timedelta(hours=1)):
        self.engine = engine
        self.token_ttl = token_ttl
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._library = None

    def session(self) -> Session:
        return self._sessions()

    # ---------------------------------------------------------------- tenants and credentials
    def add_company(self, name: str, urn: str) -> int:
        if not name.strip():
            raise ApiError("BadRequest", "company name must not be empty")
        if not urn.lower().startswith("urn:"):
            raise ApiError("BadRequest", f"company identifier must be a URN such as 'urn:company:acme', got {urn!r}")
        with self.session() as s, s.begin():
            if s.scalar(select(Company.id).where(Company.urn == urn)) is not None:
                raise ApiError("Conflict", f"a company with identifier {urn!r} already exists")
            company = Company(name=name, urn=urn)
            s.add(company)
            s.flush()
            s.add(AuditEntry(company_id=company.id, action="company.add", target=urn))
            return company.id

    def company_id(self, urn: str) -> int:
        with self.session() as s:
            found = s.scalar(select(Company.id).where(Company.urn == urn))
        if found is None:
            raise ApiError("NotFound", f"no company with identifier {urn!r}")
        return found

    def acting_as(self, urn: str) -> Principal:
        """The company named by ``urn`` acting locally (command line, Python), without a client credential."""
        return Principal(company_id=self.company_id(urn), client_id=None, company_urn=urn)

    def add_client(self, company_urn: str, name: str | None = None) -> Credentials:
        """Create a company (if new) and new client credentials for it; the secret is shown only here."""
        with self.session() as s:
            exists_ = s.scalar(select(Company.id).where(Company.urn == company_urn))
        company_id = exists_ if exists_ is not None else self.add_company(name or company_urn, company_urn)
        client_id, secret = security.new_client_id(), security.new_secret()
        with self.session() as s, s.begin():
            s.add(Client(client_id=client_id, company_id=company_id, secret_hash=security.hash_secret(secret)))
            s.add(AuditEntry(company_id=company_id, client_id=client_id, action="client.add", target=client_id))
        return Credentials(client_id, secret, company_urn)

    def issue_token(self, client_id: str, client_secret: str) -> tuple[str, int]:
        """Check client credentials; return (bearer token, lifetime in seconds) or raise PermissionError."""
        with self.session() as s, s.begin():
            client = s.get(Client, client_id)
            if client is None or client.revoked or not security.verify_secret(client_secret, client.secret_hash):
                raise PermissionError("invalid client credentials")
            token = security.new_token()
            now = utcnow()
            s.add(
                AccessToken(
                    token_hash=security.token_digest(token),
                    client_id=client_id,
                    company_id=client.company_id,
                    expires_at=now + self.token_ttl,
                    created_at=now,
                )
            )
            s.execute(AccessToken.__table__.delete().where(AccessToken.expires_at < now - timedelta(days=1)))
        return token, int(self.token_ttl.total_seconds())

    def principal(self, token: str) -> Principal:
        """The caller a bearer token stands for; ApiError BadRequest if unknown, TokenExpired if expired."""
        with self.session() as s:
            row = s.execute(
                select(AccessToken.expires_at, AccessToken.client_id, AccessToken.company_id, Company.urn)
                .join(Company, Company.id == AccessToken.company_id)
                .where(AccessToken.token_hash == security.token_digest(token))
            ).first()
        if row is None:
            raise ApiError("BadRequest", "invalid access token")
        if row.expires_at <= utcnow():
            raise ApiError("TokenExpired", "the access token has expired; request a new one at /auth/token")
        return Principal(company_id=row.company_id, client_id=row.client_id, company_urn=row.urn)

    # ---------------------------------------------------------------- footprints
    def add_footprints(
        self,
        owner: Principal | int,
        footprints: Sequence[ProductFootprint],
        share_with: Iterable[str] = (),
        action: str = "footprint.add",
    ) -> list[str]:
        """Store footprints owned by ``owner`` and share them with the companies named by URN (one transaction)."""
        owner_id = owner.company_id if isinstance(owner, Principal) else owner
        client_id = owner.client_id if isinstance(owner, Principal) else None
        share_with = list(dict.fromkeys(share_with))
        with self.session() as s, s.begin():
            recipients = self._company_ids(s, share_with)
            for pf in footprints:
                s.add(self._row(pf, owner_id))
            try:
                s.flush()
            except IntegrityError:
                raise ApiError("Conflict", "a footprint with one of these ids is already stored") from None
            seqs = dict(
                s.execute(
                    select(Footprint.id, Footprint.seq).where(Footprint.id.in_([str(p.id) for p in footprints]))
                ).all()
            )
            keys = []
            for pf in footprints:
                seq = seqs[str(pf.id)]
                keys += [{"footprint_seq": seq, "kind": "p", "value": v.lower()} for v in pf.productIds]
                keys += [{"footprint_seq": seq, "kind": "c", "value": v.lower()} for v in pf.companyIds]
                keys += [
                    {"footprint_seq": seq, "kind": "k", "value": v.lower()} for v in (pf.productClassifications or [])
                ]
            if keys:
                s.execute(FootprintKey.__table__.insert(), keys)
            shares = [{"footprint_seq": seq, "company_id": c} for seq in seqs.values() for c in recipients]
            if shares:
                s.execute(Share.__table__.insert(), shares)
            s.add(
                AuditEntry(
                    company_id=owner_id,
                    client_id=client_id,
                    action=action,
                    target=str(footprints[0].id) if len(footprints) == 1 else f"{len(footprints)} footprints",
                    detail=json.dumps({"ids": [str(p.id) for p in footprints][:100], "shared_with": share_with}),
                )
            )
        return [str(p.id) for p in footprints]

    @staticmethod
    def _company_ids(s: Session, urns: list[str]) -> list[int]:
        if not urns:
            return []
        found = dict(s.execute(select(Company.urn, Company.id).where(Company.urn.in_(urns))).all())
        missing = [u for u in urns if u not in found]
        if missing:
            raise ApiError("BadRequest", f"shareWith: unknown company identifier(s) {missing}")
        return [found[u] for u in urns]

    @staticmethod
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

    def share(self, owner: Principal, footprint_id: str, company_urns: Iterable[str]) -> list[str]:
        """Share one of ``owner``'s footprints with more companies (one transaction); the URNs newly given access."""
        added = []
        with self.session() as s, s.begin():
            row = s.scalar(select(Footprint).where(Footprint.id == footprint_id))
            if row is None or row.owner_id != owner.company_id:
                raise ApiError("NotFound", f"you own no footprint with id {footprint_id!r}")
            urns = list(dict.fromkeys(company_urns))
            for urn, company_id in zip(urns, self._company_ids(s, urns), strict=True):
                if s.get(Share, (row.seq, company_id)) is None:
                    s.add(Share(footprint_seq=row.seq, company_id=company_id))
                    added.append(urn)
            s.add(
                AuditEntry(
                    company_id=owner.company_id,
                    client_id=owner.client_id,
                    action="footprint.share",
                    target=footprint_id,
                    detail=json.dumps({"shared_with": urns}),
                )
            )
        return added

    def _visible(self, company_id: int):
        return or_(
            Footprint.owner_id == company_id,
            exists().where(and_(Share.footprint_seq == Footprint.seq, Share.company_id == company_id)),
        )

    def list_footprints(self, company_id: int, query: FootprintQuery, limit: int, after: int = 0) -> Page:
        """Footprints visible to ``company_id`` matching ``query``, in storage order after sequence ``after``.

        The owned and the shared footprints are read by two ordered index scans (``owner_id, seq`` and
        ``company_id, footprint_seq``) merged by sequence, so a page costs about ``limit`` rows whatever the
        table size and the filters' selectivity.
        """
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
                return Page([], None)
            conditions.append(Footprint.status == status)
        owned = (
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
        both = union_all(select(owned.c.seq, owned.c.document), select(shared.c.seq, shared.c.document)).subquery()
        statement = select(both.c.seq, both.c.document).order_by(both.c.seq).limit(limit + 1)
        with self.session() as s:
            rows = s.execute(statement).all()
        more = len(rows) > limit
        rows = rows[:limit]
        return Page([r.document for r in rows], rows[-1].seq if more and rows else None)

    def get_footprint(self, company_id: int, footprint_id: str) -> dict:
        """One footprint; NotFound if absent, AccessDenied if it exists but is neither owned nor shared."""
        try:
            UUID(footprint_id)
        except ValueError:
            raise ApiError("NotFound", f"no footprint with id {footprint_id!r} (footprint ids are UUIDs)") from None
        with self.session() as s:
            row = s.execute(select(Footprint.seq, Footprint.document).where(Footprint.id == footprint_id)).first()
            if row is None:
                raise ApiError("NotFound", f"no footprint with id {footprint_id!r}")
            visible = s.scalar(select(Footprint.seq).where(Footprint.seq == row.seq, self._visible(company_id)))
        if visible is None:
            raise ApiError("AccessDenied", f"footprint {footprint_id!r} has not been shared with your company")
        return json.loads(row.document)

    def deprecate(self, owner: Principal, footprint_id: str) -> list[str]:
        """Set a footprint's status to Deprecated, the one change PACT v3 allows after creation.

        Returns the URNs of the companies it is shared with when its status changed (none if it was already
        Deprecated): the recipients to notify of the update.
        """
        with self.session() as s, s.begin():
            row = s.scalar(select(Footprint).where(Footprint.id == footprint_id))
            if row is None or row.owner_id != owner.company_id:
                raise ApiError("NotFound", f"you own no footprint with id {footprint_id!r}")
            changed = row.status != "Deprecated"
            recipients = s.scalars(
                select(Company.urn).join(Share, Share.company_id == Company.id).where(Share.footprint_seq == row.seq)
            ).all()
            document = json.loads(row.document)
            document["status"] = row.status = "Deprecated"
            row.document = json.dumps(document, separators=(",", ":"))
            s.add(
                AuditEntry(
                    company_id=owner.company_id,
                    client_id=owner.client_id,
                    action="footprint.deprecate",
                    target=footprint_id,
                )
            )
        return sorted(recipients) if changed else []

    # ---------------------------------------------------------------- activity uploads
    def factor_library(self):
        """The emission-factor library (loaded once per exchange)."""
        if self._library is None:
            from coreduce.accounting import load_factor_library

            self._library = load_factor_library()
        return self._library

    def add_activity(self, owner: Principal, upload, schema_base_url: str):
        """Account an :class:`~coreduce.exchange.upload.ActivityUpload` and store its footprints (all or none).

        Returns the :class:`~coreduce.exchange.upload.Accounted` result. Bad rows, products or recipients raise
        ``ApiError`` BadRequest naming the row and field; nothing is stored then.
        """
        from coreduce.accounting import AccountingError, ActivityError, account, parse_activity
        from coreduce.exchange.upload import UploadError, build_footprints

        library = self.factor_library()
        try:
            activity = parse_activity(upload.activities, origin="activities", library=library)
            result = account(activity, library)
        except (ActivityError, AccountingError) as exc:
            message = str(exc) if str(exc).startswith("activities") else f"activities: {exc}"
            raise ApiError("BadRequest", message) from None
        with self.session() as s:
            company_name = s.scalar(select(Company.name).where(Company.id == owner.company_id))
        try:
            accounted = build_footprints(
                upload,
                activity,
                result,
                company_name=company_name,
                company_urn=owner.company_urn,
                schema_base_url=schema_base_url,
            )
        except UploadError as exc:
            raise ApiError("BadRequest", str(exc)) from None
        self.add_footprints(owner, accounted.footprints, upload.shareWith, action="activity.upload")
        return accounted

    # ---------------------------------------------------------------- supply-chain roll-up
    def _documents(self, company_id: int, ids: list[str]) -> dict[str, tuple[bool, bool, dict]]:
        """id → (owned, visible, document) for the stored footprints among ``ids``."""
        found: dict[str, tuple[bool, bool, dict]] = {}
        with self.session() as s:
            for lo in range(0, len(ids), 1000):
                chunk = ids[lo : lo + 1000]
                rows = s.execute(
                    select(Footprint.id, Footprint.seq, Footprint.owner_id, Footprint.document).where(
                        Footprint.id.in_(chunk)
                    )
                ).all()
                shared = set(
                    s.scalars(
                        select(Share.footprint_seq).where(
                            Share.company_id == company_id, Share.footprint_seq.in_([r.seq for r in rows])
                        )
                    )
                )
                for r in rows:
                    owned = r.owner_id == company_id
                    found[r.id] = (owned, owned or r.seq in shared, json.loads(r.document))
        return found

    def roll_up(self, caller: Principal, request, schema_base_url: str):
        """Totals of the caller's products over their inputs (:mod:`coreduce.exchange.chain`); with ``publish``,
        store each total as a new footprint (one transaction). Returns (ChainResult, published ids)."""
        from coreduce.exchange.chain import ChainError, rolled_footprint, solve

        products = [str(p) for p in request.products]
        sources = [str(e.from_) for e in request.inputs]
        found = self._documents(caller.company_id, list(dict.fromkeys(products + sources)))
        for i, pid in enumerate(products):
            if pid not in found:
                raise ApiError("NotFound", f"products.{i}: no footprint with id {pid!r}")
            if not found[pid][0]:
                raise ApiError("AccessDenied", f"products.{i}: footprint {pid!r} is not owned by your company")
        for k, pid in enumerate(sources):
            if pid not in found:
                raise ApiError("NotFound", f"inputs.{k}.from: no footprint with id {pid!r}")
            if not found[pid][1]:
                raise ApiError("AccessDenied", f"inputs.{k}.from: footprint {pid!r} has not been shared with you")
        try:
            result = solve(request, {pid: doc for pid, (_, _, doc) in found.items()})
        except ChainError as exc:
            raise ApiError("BadRequest", str(exc)) from None
        published: list[str] = []
        if request.publish:
            n_inputs = {pid: 0 for pid in products}
            for e in request.inputs:
                n_inputs[str(e.to)] += 1
            rolled = [
                rolled_footprint(found[pid][2], result.total[i], result.incomplete[i], n_inputs[pid], schema_base_url)
                for i, pid in enumerate(products)
            ]
            published = self.add_footprints(caller, rolled, request.shareWith, action="footprint.rollup")
        return result, published

    # ---------------------------------------------------------------- events and audit
    def record_event(self, receiver: Principal, event_id: str, source: str, type_: str, body: dict) -> bool:
        """Store an accepted event; a repeated (source, id) is acknowledged without a second row."""
        with self.session() as s, s.begin():
            duplicate = s.scalar(
                select(ReceivedEvent.seq).where(
                    ReceivedEvent.company_id == receiver.company_id,
                    ReceivedEvent.source == source,
                    ReceivedEvent.event_id == event_id,
                )
            )
            if duplicate is not None:
                return False
            s.add(
                ReceivedEvent(
                    event_id=event_id,
                    source=source,
                    type=type_,
                    company_id=receiver.company_id,
                    body=json.dumps(body, separators=(",", ":")),
                )
            )
            s.add(
                AuditEntry(
                    company_id=receiver.company_id,
                    client_id=receiver.client_id,
                    action="event.receive",
                    target=event_id[:255],
                    detail=type_,
                )
            )
        return True

    def audit(self, who: Principal, action: str, target: str, detail: str | None = None) -> None:
        """Add one audit-log row (for outcomes that are not themselves database writes, e.g. events sent)."""
        with self.session() as s, s.begin():
            s.add(
                AuditEntry(
                    company_id=who.company_id,
                    client_id=who.client_id,
                    action=action,
                    target=target[:255],
                    detail=detail,
                )
            )

    def events(self, company_id: int) -> list[dict]:
        with self.session() as s:
            rows = s.execute(
                select(ReceivedEvent.body).where(ReceivedEvent.company_id == company_id).order_by(ReceivedEvent.seq)
            ).all()
        return [json.loads(r.body) for r in rows]

    def audit_log(self, company_id: int | None = None) -> list[dict]:
        statement = select(AuditEntry).order_by(AuditEntry.seq)
        if company_id is not None:
            statement = statement.where(AuditEntry.company_id == company_id)
        with self.session() as s:
            return [
                {
                    "at": e.at,
                    "company_id": e.company_id,
                    "client_id": e.client_id,
                    "action": e.action,
                    "target": e.target,
                    "detail": e.detail,
                }
                for e in s.scalars(statement)
            ]

    def count_footprints(self) -> int:
        with self.session() as s:
            return s.scalar(select(func.count()).select_from(Footprint)) or 0


def open_exchange(database_url: str | None = None, token_ttl: timedelta = timedelta(hours=1)) -> Exchange:
    """An :class:`Exchange` on ``database_url`` (default: SQLite under the user directory), migrated to head."""
    from coreduce.exchange.db import default_database_url, make_engine, migrate

    engine = make_engine(database_url or default_database_url())
    migrate(engine)
    return Exchange(engine, token_ttl=token_ttl)


def load_footprints_file(path) -> list[ProductFootprint]:
    """PACT v3 footprints from a JSON file: one footprint, a list, or ``{"data": [...]}`` (a ListFootprints body).

    Raises ``ApiError`` BadRequest naming the file, the footprint's position and the offending field.
    """
    from pathlib import Path

    from pydantic import ValidationError

    from coreduce.exchange.errors import describe

    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ApiError("BadRequest", f"{path}: file not found") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError("BadRequest", f"{path}: not a JSON file ({exc})") from None
    if isinstance(raw, dict) and "data" in raw:
        raw = raw["data"]
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise ApiError("BadRequest", f"{path}: no footprints in the file")
    footprints = []
    for i, item in enumerate(items):
        try:
            footprints.append(ProductFootprint.model_validate(item))
        except ValidationError as exc:
            raise ApiError("BadRequest", f"{path}: footprint {i}: {describe(exc)}") from None
    ids = [str(p.id) for p in footprints]
    if len(set(ids)) != len(ids):
        raise ApiError("BadRequest", f"{path}: the same footprint id appears more than once")
    return footprints
