"""The service layer: every operation and every validation of the exchange, raising domain errors.

``open_exchange(url)`` gives an :class:`Exchange`; ``Principal`` is the company acting (``exchange.acting_as(urn)``
for local callers); ``FootprintQuery`` holds ListFootprints criteria.
"""

from coreduce.exchange.service.exchange import Exchange, open_exchange
from coreduce.exchange.service.footprints import load_footprints_file, validate_footprints
from coreduce.exchange.service.queries import FootprintQuery, Page
from coreduce.exchange.service.tenants import Credentials, Principal

__all__ = [
    "Credentials",
    "Exchange",
    "FootprintQuery",
    "Page",
    "Principal",
    "load_footprints_file",
    "open_exchange",
    "validate_footprints",
]
