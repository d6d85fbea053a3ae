"""One router per area of the exchange's HTTP API."""
