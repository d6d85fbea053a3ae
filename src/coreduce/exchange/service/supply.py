"""Co-accounted activity uploads, supply-chain roll-up and ranked measures, over the stored footprints."""

from __future__ import annotations

from coreduce.accounting import (
    AccountingError,
    ActivityError,
    FactorLibrary,
    account,
    load_factor_library,
    parse_activity,
)
from coreduce.exchange.chain import advice
from coreduce.exchange.chain.supply import ChainError, ChainResult, RollUpRequest, rolled_footprint, solve
from coreduce.exchange.chain.upload import Accounted, ActivityUpload, UploadError, build_footprints
from coreduce.exchange.errors import InvalidInput, NotFound
from coreduce.exchange.service.tenants import Principal
from coreduce.exchange.store import footprints as store
from coreduce.exchange.store import tenants


class Supply:
    """Activity, roll-up and measures (part of :class:`~coreduce.exchange.service.Exchange`)."""

    _library: FactorLibrary | None = None

    def factor_library(self) -> FactorLibrary:
        """The emission-factor library (loaded once per exchange)."""
        if self._library is None:
            self._library = load_factor_library()
        return self._library

    def add_activity(
        self, owner: Principal, upload: ActivityUpload, schema_base_url: str, source: str | None = None
    ) -> Accounted:
        """Account an activity upload and store its footprints (all or none), announced from ``source``.

        Bad rows, products or recipients raise InvalidInput naming the row and field; nothing is stored then.
        """
        library = self.factor_library()
        try:
            activity = parse_activity(upload.activities, origin="activities", library=library)
            result = account(activity, library)
        except (ActivityError, AccountingError) as exc:
            message = str(exc) if str(exc).startswith("activities") else f"activities: {exc}"
            raise InvalidInput(message, exc.by_row() if isinstance(exc, ActivityError) else None) from None
        with self.session() as s:
            company_name = tenants.company_name(s, owner.company_id)
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
            raise InvalidInput(str(exc)) from None
        self.add_footprints(owner, accounted.footprints, upload.shareWith, action="activity.upload", source=source)
        return accounted

    def roll_up(
        self, caller: Principal, request: RollUpRequest, schema_base_url: str, source: str | None = None
    ) -> tuple[ChainResult, list]:
        """Totals of the caller's products over their inputs (:mod:`coreduce.exchange.chain.supply`); with
        ``publish``, store each total as a new footprint (one transaction, announced from ``source``). Returns
        (ChainResult, published ids)."""
        products = [str(p) for p in request.products]
        sources = [str(e.from_) for e in request.inputs]
        with self.session() as s:
            found = store.documents(s, caller.company_id, list(dict.fromkeys(products + sources)))
        # absent and not-yours give the same answer: nothing tells whether another company stored an id
        for i, pid in enumerate(products):
            if pid not in found or not found[pid][0]:
                raise NotFound(f"products.{i}: your company owns no footprint with id {pid!r}")
        for k, pid in enumerate(sources):
            if pid not in found or not found[pid][1]:
                raise NotFound(f"inputs.{k}.from: no footprint with id {pid!r} visible to your company")
        try:
            result = solve(request, {pid: doc for pid, (_, _, doc) in found.items()})
        except ChainError as exc:
            raise InvalidInput(str(exc)) from None
        published: list[str] = []
        if request.publish:
            n_inputs = {pid: 0 for pid in products}
            for e in request.inputs:
                n_inputs[str(e.to)] += 1
            rolled = [
                rolled_footprint(found[pid][2], result.total[i], result.incomplete[i], n_inputs[pid], schema_base_url)
                for i, pid in enumerate(products)
            ]
            published = self.add_footprints(caller, rolled, request.shareWith, "footprint.rollup", source)
        return result, published

    def rank_measures(self, request: advice.MeasuresRequest):
        """The measures for the request's activity, ranked (:func:`coreduce.exchange.chain.advice.rank`)."""
        return advice.rank(request, self.factor_library())
