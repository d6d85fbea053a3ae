"""The PACT v3 data model: product footprints, CloudEvents of Action Events, and the co-pollutant extension."""
