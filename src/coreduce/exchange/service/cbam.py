"""CBAM over the stored footprints: an installation's bought precursors from suppliers' CBAM extensions.

A precursor's specific embedded emissions come from a footprint visible to the company (its own or shared with
it), read with :meth:`~coreduce.exchange.service.footprints.Footprints.get_footprint`: an absent footprint and
another company's unshared one give the same ``NotFound``, so nothing about other tenants is revealed. The
footprint's CBAM data-model extension (:mod:`coreduce.cbam.pact`) supplies the SEE. Used by the exchange's CBAM
routes and by ``coreduce cbam … --exchange-db``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from pydantic import ValidationError

from coreduce.cbam import pact
from coreduce.cbam.model import CbamInputError, Installation


class Cbam:
    """CBAM reads of stored footprints (part of :class:`~coreduce.exchange.service.Exchange`)."""

    def cbam_installation(
        self, company_id: int, installation: Installation | None, supplier_footprints: Sequence[Mapping]
    ) -> Installation | None:
        """``installation`` with the precursors of ``supplier_footprints`` added: each item names a
        ``footprintId`` visible to ``company_id``, the ``processId`` consuming it and the ``massT`` consumed."""
        if installation is None:
            if supplier_footprints:
                raise CbamInputError("supplierFootprints", "an installation whose processes consume them")
            return None
        processes = {p.process_id: p for p in installation.processes}
        for i, item in enumerate(supplier_footprints):
            where = f"supplierFootprints[{i}]"
            if item["processId"] not in processes:
                raise CbamInputError(f"{where}.processId", f"one of {list(processes)}", item["processId"])
            document = self.get_footprint(company_id, item["footprintId"])
            found = [e for e in document.get("extensions") or [] if isinstance(e, dict) and pact.is_cbam_extension(e)]
            if not found:
                raise CbamInputError(f"{where}.footprintId", "a footprint with a CBAM extension")
            try:
                pre = pact.precursor_from_extension(found[0], item["massT"], item["footprintId"])
            except ValidationError as exc:
                raise CbamInputError(f"{where}.footprintId", f"a valid CBAM extension ({exc})") from None
            p = processes[item["processId"]]
            processes[item["processId"]] = dataclasses.replace(p, precursors=(*p.precursors, pre))
        return dataclasses.replace(installation, processes=tuple(processes.values()))
