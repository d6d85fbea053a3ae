"""EU carbon border adjustment mechanism (CBAM), definitive period from 2026: pure computations, typed results.

What to call::

    from coreduce.cbam import (CbamConventions, Installation, good_defaults, embedded_emissions, certificates,
                               write_communication, read_communication)

    good_defaults("25231000", "CN")                        # the good, its sector, default values and mark-up
    inst = Installation.from_mapping(data)                  # installation, processes, source streams, precursors
    emb = embedded_emissions([{"cn": "25231000", "country": "CN", "mass_t": 1000, "process_id": "kiln"}],
                             installation=inst)             # actual values, else defaults with the year's mark-up
    certs = certificates(lines, installation=inst, conventions=CbamConventions(certificate_price_eur=80))
    certs.scenarios                                         # 2026-2034: CBAM factor and mark-up of each year
    write_communication("to_importer.xlsx", inst, emb)      # the operator → importer communication

Every result records its :class:`CbamConventions`. Reference data: :mod:`coreduce.cbam.reference` (IR (EU)
2025/2621 default values and Annex IV, IR (EU) 2025/2620 benchmarks, the goods list, EU ETS prices — a third-party
transcription; rows read in the Official Journal are marked verified with their page, and the corrections of IR
(EU) 2026/1740 are applied, see :mod:`~coreduce.cbam.verification`). Methods: :mod:`~coreduce.cbam.attributed`
(attributed emissions),
:mod:`~coreduce.cbam.see` (SEE of simple and complex goods), :mod:`~coreduce.cbam.defaults`,
:mod:`~coreduce.cbam.certificates`, :mod:`~coreduce.cbam.measures` (decision support), :mod:`~coreduce.cbam.pact`
(PACT extension and its JSON schema).
"""

from coreduce.cbam.certificates import CarbonPriceEvidence, certificates
from coreduce.cbam.communication import read_communication, write_communication
from coreduce.cbam.conventions import CbamConventions
from coreduce.cbam.defaults import good_defaults
from coreduce.cbam.embedded import embedded_emissions
from coreduce.cbam.model import CbamInputError, ImportLine, Installation

__all__ = [
    "CarbonPriceEvidence",
    "CbamConventions",
    "CbamInputError",
    "ImportLine",
    "Installation",
    "certificates",
    "embedded_emissions",
    "good_defaults",
    "read_communication",
    "write_communication",
]
