"""One builder per factor publisher: each turns that publisher's files in ``shared/data/factors`` into library rows.

=========== ==================================================================================================
module      rows
=========== ==================================================================================================
``ceds``    CEDS CO2 per fuel (coefficient × fraction oxidised); SO2 of China's coal power (Liu et al. 2015)
``gains``   IIASA GAINS ECLIPSE V6b emissions ÷ activity per EMF30 sector; PM2.5 from BC (CEDS China ratios)
``bond``    Bond/SPEW black and organic carbon per tonne of fuel, East Asia
``gcam``    GCAM fully controlled non-CO2 floors (ECL-2.0)
``grid``    China's published grid CO2 factors; their co-pollutants at the MEIC power-sector ratios
``beis``    UK BEIS/Defra freight, material and fuel factors; freight co-pollutants with GAINS truck factors
=========== ==================================================================================================

Every builder takes the factors folder (and, for derived rows, the rows it derives from) and returns a list of
row dicts made with :func:`coreduce.accounting.builders._rows.row`; :mod:`coreduce.accounting.build` joins them.
"""
