"""Pure methods on arrays and frames: intensity and rates, decoupling, co-control, coupling coordination,
composite-system synergy and LMDI decomposition (plus the entropy/TOPSIS/inequality/econometrics modules)."""
