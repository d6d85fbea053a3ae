"""Supply-chain roll-up: the total footprint of every product, its suppliers' footprints included.

Products ``0 … n−1``; ``direct[j, p]`` is the direct emission of pollutant ``p`` per unit of product ``j``
(kg per declared unit); an edge ``(i, j, a)`` says that one unit of product ``j`` takes ``a`` units of product
``i`` from its supplier. With the technology matrix ``A[i, j] = a`` (duplicate edges summed), the total
footprint per unit of ``j`` is its direct emission plus the totals of everything it takes in:

    t_j = d_j + Σ_i A[i, j] · t_i      ⇔      (I − Aᵀ) T = D      ⇔      Tᵀ = Dᵀ (I − A)⁻¹

which is the Leontief / LCA form ``h = B (I − A)⁻¹`` with the direct intensities ``B = Dᵀ`` (Miller & Blair
2009, *Input-Output Analysis*, 2nd ed., §2.3 and ch. 10; Heijungs & Suh 2002, *The Computational Structure of
Life Cycle Assessment*, ch. 2). One sparse factorisation (or one iterative solve per pollutant) gives every
product at once; cycles (steel → electricity → steel) are ordinary off-diagonal entries, not a recursion.
A purchased product whose footprint a supplier shared (a PACT footprint received through the exchange) enters
as a product with ``direct`` = the received per-unit footprint and no inputs of its own, so its supplier's
upstream is carried without being recomputed.

A supply chain is *productive* when every cycle consumes less than it produces: the spectral radius
``ρ(A) < 1``. For ``A ≥ 0`` this holds exactly when ``I − Aᵀ`` is non-singular and ``z = (I − Aᵀ)⁻¹ 1 > 0``
(a non-singular M-matrix: Berman & Plemmons 1994, *Nonnegative Matrices in the Mathematical Sciences*, ch. 6,
Thm 2.3), so the solve carries one extra right-hand side of ones and :class:`RollUpError` names the products
where ``z`` is not positive, with the strongly connected component (the cycle) they belong to.

Solvers (``method``, recorded in ``conventions``): ``"direct"`` = SuperLU (``scipy.sparse.linalg.splu``),
exact but its fill-in grows quickly on large, densely cyclic graphs; ``"iterative"`` = BiCGSTAB with a Jacobi
preconditioner (``scipy.sparse.linalg.bicgstab``, the default solver of bw2calc's ``IterativeLCA``), checked by
its relative residual; ``"auto"`` = direct up to ``direct_limit`` products, iterative above.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.sparse.csgraph import connected_components

METHODS = ("auto", "direct", "iterative")
DIRECT_LIMIT = 20_000


class RollUpError(ValueError):
    """Inputs that do not describe a supply chain, or a supply chain that produces less than it consumes."""


@dataclass
class RollUp:
    """Total footprints ``totals`` (n_products × n_pollutants, same unit as ``direct``) and how they were solved."""

    totals: np.ndarray
    direct: np.ndarray
    products: list
    pollutants: list
    conventions: dict = field(default_factory=dict)

    def __array__(self, dtype=None, copy=None):
        return self.totals if dtype is None else self.totals.astype(dtype)

    def to_frame(self) -> pd.DataFrame:
        """Long frame: product, pollutant, direct, upstream (= total − direct), total."""
        n, p = self.totals.shape
        return pd.DataFrame(
            {
                "product": np.repeat(np.asarray(self.products, dtype=object), p),
                "pollutant": np.tile(np.asarray(self.pollutants, dtype=object), n),
                "direct": self.direct.ravel(),
                "upstream": (self.totals - self.direct).ravel(),
                "total": self.totals.ravel(),
            }
        )

    def summary(self) -> str:
        c = self.conventions
        lines = [
            f"Supply-chain roll-up: {c['products']} products, {c['edges']} edges, {len(self.pollutants)} pollutants",
            f"  formula: {c['formula']}",
            f"  solver: {c['method']} ({c['solver']}), max relative residual {c['max_relative_residual']:.2e}",
            f"  strongly connected components with a cycle: {c['cyclic_components']}",
            "  total (sum over products of the per-unit totals):",
        ]
        for k, pol in enumerate(self.pollutants):
            lines.append(f"    {pol}: direct {self.direct[:, k].sum():.6g}, total {self.totals[:, k].sum():.6g}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        frame = pd.DataFrame(self.totals, index=self.products, columns=self.pollutants)
        return f"<p>{self.summary().splitlines()[0]}</p>" + frame.head(20).to_html()


def technology_matrix(n: int, edges) -> sp.csr_matrix:
    """``A`` (n × n, CSR) from edges ``(src, dst, amount)``: amount of ``src`` per unit of ``dst``, duplicates summed.

    ``edges`` is a tuple of three arrays or a frame with columns ``src, dst, amount``. Raises
    :class:`RollUpError` naming the first bad edge (index out of range, amount negative or not finite).
    """
    if isinstance(edges, pd.DataFrame):
        missing = {"src", "dst", "amount"} - set(edges.columns)
        if missing:
            raise RollUpError(f"edges frame lacks columns {sorted(missing)}; expected src, dst, amount")
        edges = (edges["src"].to_numpy(), edges["dst"].to_numpy(), edges["amount"].to_numpy())
    try:
        src, dst, amount = edges
    except (TypeError, ValueError):
        raise RollUpError("edges must be (src, dst, amount) arrays or a frame with those columns") from None
    src, dst = np.asarray(src), np.asarray(dst)
    try:
        amount = np.asarray(amount, dtype=float)
    except (TypeError, ValueError) as exc:
        raise RollUpError(f"edges, field 'amount': expected numbers ({exc})") from None
    if not (src.shape == dst.shape == amount.shape and src.ndim == 1):
        raise RollUpError(
            f"edges: src, dst and amount must be 1-D of one length, got {src.shape}, {dst.shape}, {amount.shape}"
        )
    for name, idx in (("src", src), ("dst", dst)):
        if idx.size and not np.issubdtype(idx.dtype, np.integer):
            raise RollUpError(f"edges: {name} must hold integer product indices, got dtype {idx.dtype}")
        bad = np.flatnonzero((idx < 0) | (idx >= n))
        if bad.size:
            raise RollUpError(f"edge {bad[0]}, field '{name}': product {idx[bad[0]]} is outside 0…{n - 1}")
    bad = np.flatnonzero(~np.isfinite(amount) | (amount < 0))
    if bad.size:
        raise RollUpError(f"edge {bad[0]}, field 'amount': {float(amount[bad[0]])!r}; expected a finite amount ≥ 0")
    return sp.csr_matrix((amount, (src, dst)), shape=(n, n))


def _cyclic(a: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Each product's strongly connected component, and which components hold a cycle (size > 1 or a self-loop)."""
    _, labels = connected_components(a, directed=True, connection="strong")
    looped = np.bincount(labels) > 1
    looped[labels[a.diagonal() > 0]] = True
    return labels, looped


def _solve_direct(m: sp.csc_matrix, rhs: np.ndarray) -> tuple[np.ndarray, str]:
    try:
        lu = spla.splu(m)
    except RuntimeError as exc:  # SuperLU: "Factor is exactly singular"
        raise _Singular(str(exc)) from None
    return lu.solve(rhs), "scipy.sparse.linalg.splu (SuperLU, COLAMD ordering)"


class _Singular(Exception):
    pass


def _solve_iterative(m: sp.csr_matrix, rhs: np.ndarray, rtol: float, maxiter: int) -> tuple[np.ndarray, str]:
    diag = m.diagonal()
    if np.any(diag == 0):
        raise _Singular(f"zero on the diagonal of I − Aᵀ at product {int(np.flatnonzero(diag == 0)[0])}")
    jacobi = spla.LinearOperator(m.shape, matvec=lambda v: v / diag, dtype=float)
    out = np.empty_like(rhs)
    for k in range(rhs.shape[1]):
        b = rhs[:, k]
        if not b.any():
            out[:, k] = 0.0
            continue
        x, info = spla.bicgstab(m, b, x0=b / diag, rtol=rtol, atol=0.0, maxiter=maxiter, M=jacobi)
        if info != 0:
            raise _Singular(f"BiCGSTAB did not converge (info={info}) on right-hand side {k}")
        out[:, k] = x
    return out, f"scipy.sparse.linalg.bicgstab + Jacobi preconditioner, rtol={rtol:g}"


def roll_up(
    direct,
    edges,
    *,
    method: str = "auto",
    products=None,
    pollutants=None,
    rtol: float = 1e-10,
    maxiter: int = 10_000,
    direct_limit: int = DIRECT_LIMIT,
) -> RollUp:
    """Total footprint per unit of every product: ``T = (I − Aᵀ)⁻¹ D`` (see the module docstring).

    ``direct``: array (n_products × n_pollutants), or a 1-D array for one pollutant; finite. ``edges``:
    ``(src, dst, amount)`` arrays or a frame (see :func:`technology_matrix`). ``products`` / ``pollutants``:
    labels for :meth:`RollUp.to_frame` (default 0…n−1 and p0…). Raises :class:`RollUpError` when the system is
    singular or not productive (a cycle that takes in at least as much as it makes), naming the products.
    """
    if method not in METHODS:
        raise RollUpError(f"method {method!r}: expected one of {', '.join(METHODS)}")
    d = np.asarray(direct, dtype=float)
    if d.ndim == 1:
        d = d[:, None]
    if d.ndim != 2 or d.shape[0] == 0:
        raise RollUpError(f"direct must be (n_products × n_pollutants), got shape {np.shape(direct)}")
    n, p = d.shape
    if not np.isfinite(d).all():
        i, k = np.argwhere(~np.isfinite(d))[0]
        raise RollUpError(f"direct[{i}, {k}] is {float(d[i, k])!r}; expected a finite emission")
    products = list(range(n)) if products is None else list(products)
    pollutants = [f"p{k}" for k in range(p)] if pollutants is None else list(pollutants)
    if len(products) != n or len(pollutants) != p:
        raise RollUpError(
            f"{len(products)} product and {len(pollutants)} pollutant labels for direct of shape {d.shape}"
        )
    a = technology_matrix(n, edges)
    labels, looped = _cyclic(a)
    chosen = method if method != "auto" else ("direct" if n <= direct_limit else "iterative")
    m = (sp.identity(n, format="csr") - a.T.tocsr()).tocsr()
    rhs = np.hstack([d, np.ones((n, 1))])
    started = time.perf_counter()
    try:
        if chosen == "direct":
            x, solver = _solve_direct(m.tocsc(), rhs)
        else:
            x, solver = _solve_iterative(m, rhs, rtol, maxiter)
    except _Singular as exc:
        raise RollUpError(
            f"the supply-chain system I − Aᵀ is singular ({exc}): some cycle of products takes in exactly as much "
            f"as it makes; {_describe_cycles(labels, looped)}"
        ) from None
    seconds = time.perf_counter() - started
    z = x[:, -1]
    bad = np.flatnonzero(~np.isfinite(z) | (z <= 0))
    if bad.size:
        raise RollUpError(
            f"the supply chain is not productive (spectral radius of A ≥ 1): a cycle takes in more than it makes, "
            f"so totals would be negative or infinite; first affected product {products[bad[0]]!r}; "
            f"{_describe_cycles(labels, looped, among=bad)}"
        )
    totals = x[:, :p]
    resid = m @ x - rhs
    scale = np.maximum(np.abs(rhs).max(axis=0), 1e-300)
    rel = float(np.max(np.abs(resid).max(axis=0) / scale))
    conventions = {
        "formula": "T = (I − Aᵀ)⁻¹ D, A[i, j] = units of product i per unit of product j",
        "method": chosen,
        "solver": solver,
        "productivity_check": "z = (I − Aᵀ)⁻¹ 1 > 0 ⇔ ρ(A) < 1 (Berman & Plemmons 1994, ch. 6, Thm 2.3)",
        "duplicate_edges": "summed",
        "products": n,
        "edges": int(a.nnz),
        "cyclic_components": int(looped.sum()),
        "max_relative_residual": rel,
        "solve_seconds": seconds,
    }
    return RollUp(totals, d, products, pollutants, conventions)


def _describe_cycles(labels: np.ndarray, looped: np.ndarray, among: np.ndarray | None = None) -> str:
    """The products of a cyclic component (one holding a product of ``among`` if any, else the largest)."""
    if not looped.any():
        return "no cycle found among the products"
    sizes = np.bincount(labels)
    comps = np.flatnonzero(looped)
    if among is not None:
        hit = np.intersect1d(comps, labels[among])
        comps = hit if hit.size else comps
    comp = comps[np.argmax(sizes[comps])]
    members = np.flatnonzero(labels == comp)
    shown = ", ".join(str(int(i)) for i in members[:10]) + (" …" if members.size > 10 else "")
    return f"cycle among products [{shown}] ({members.size} products)"


def roll_up_labelled(direct: pd.DataFrame, edges: pd.DataFrame, **options) -> RollUp:
    """:func:`roll_up` with product identifiers: ``direct`` indexed by product id (one column per pollutant),
    ``edges`` with columns ``src, dst, amount`` holding those ids (e.g. PACT product ids or footprint ids)."""
    if not direct.index.is_unique:
        raise RollUpError(
            f"direct: product ids must be unique; repeated {direct.index[direct.index.duplicated()][0]!r}"
        )
    missing = {"src", "dst", "amount"} - set(edges.columns)
    if missing:
        raise RollUpError(f"edges frame lacks columns {sorted(missing)}; expected src, dst, amount")
    position = pd.Series(np.arange(len(direct)), index=direct.index)
    index = {}
    for name in ("src", "dst"):
        idx = position.reindex(edges[name].to_numpy())
        if idx.isna().any():
            k = int(np.flatnonzero(idx.isna().to_numpy())[0])
            raise RollUpError(f"edge {k}, field '{name}': product {edges[name].iloc[k]!r} has no direct emissions row")
        index[name] = idx.to_numpy(dtype=np.int64)
    return roll_up(
        direct.to_numpy(dtype=float),
        (index["src"], index["dst"], edges["amount"].to_numpy()),
        products=list(direct.index),
        pollutants=list(direct.columns),
        **options,
    )
