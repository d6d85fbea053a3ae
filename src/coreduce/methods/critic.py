"""CRITIC weights (CRiteria Importance Through Intercriteria Correlation).

For standardised indicators ``z`` (n × m, larger is better)::

    C_j = σ_j · Σ_k (1 − r_jk)        σ_j: sample standard deviation (ddof = 1); r: Pearson correlation
    w_j = C_j / Σ_k C_k

Source: Diakoulaki, Mavrotas & Papayannakis (1995), "Determining objective weights in multiple criteria
problems: the CRITIC method", Computers & Operations Research 22(7): 763–770.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coreduce.methods.scaling import IndicatorError


def critic_weights(z: pd.DataFrame | np.ndarray) -> pd.DataFrame:
    """Contrast ``sigma``, conflict ``conflict`` = Σ(1 − r), information ``information`` = C and ``weight``."""
    frame = pd.DataFrame(z).astype(float)
    if frame.isna().any().any():
        col = frame.columns[frame.isna().any()][0]
        raise IndicatorError(f"indicator {col!r} has missing values; CRITIC needs complete data")
    sigma = frame.std(ddof=1)
    if (sigma == 0).any():
        col = sigma.index[sigma == 0][0]
        raise IndicatorError(f"indicator {col!r} is constant: its correlation with the others is undefined")
    conflict = (1.0 - frame.corr()).sum()
    info = sigma * conflict
    return pd.DataFrame({"sigma": sigma, "conflict": conflict, "information": info, "weight": info / info.sum()})
