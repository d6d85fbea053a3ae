"""Helpers shared by the test folders (imported as ``helpers.<module>``; ``tests/`` is on pytest's pythonpath).

- :mod:`helpers.panels`: the one builder of test panels (:func:`~helpers.panels.build_panel`) and the synthetic
  panels the analysis, report and data tests use.
- :mod:`helpers.waiting`: polling for a condition with a timeout.
- :mod:`helpers.exchange_samples`: a valid PACT product footprint to vary.
- :mod:`helpers.cbam_samples`: a clinker kiln and a two-process steel works for the CBAM tests.
- :mod:`helpers.network`: the guard that keeps every test off the network (installed by tests/conftest.py).
"""
