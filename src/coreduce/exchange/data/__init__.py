"""Package data of the exchange: the measure catalogue."""
