"""Package data of the exchange: the factor library, its licence notices and the measure catalogue."""
