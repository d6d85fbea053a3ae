"""Regression tables in the layout economists publish, as a frame and as LaTeX, HTML and RTF (opens in Word).

Layout (one column per model, numbered (1), (2), …, under the dependent variable's name)::

                      (1)          (2)
                      co2_int      co2_int
    nqpf             -0.512***    -0.430**
                     (0.121)      (0.170)
    ln_gdp_pc                      0.210
                                  (0.160)
    Province FE       Yes          Yes
    Year FE           Yes          Yes
    Observations      390          390
    R² (within)       0.412        0.455

Stars mark two-sided p-values below 0.10 (*), 0.05 (**) and 0.01 (***) by default; the standard-error type and
the star thresholds are printed in the table note. Writes are atomic (temporary file, then rename).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from coreduce.fileio import atomic_write
from coreduce.methods.econometrics import FittedModel

FORMATS = (".csv", ".tex", ".html", ".rtf", ".txt")


def stars(p: float, thresholds: Sequence[float] = (0.1, 0.05, 0.01)) -> str:
    """``*`` for each threshold in ``thresholds`` (descending) that the p-value is below."""
    if p is None or not np.isfinite(p):
        return ""
    return "*" * sum(p < t for t in thresholds)


def _fmt(x: float, digits: int) -> str:
    return "" if x is None or not np.isfinite(x) else f"{x:.{digits}f}"


@dataclass
class RegressionTable:
    """Several fitted models side by side; ``labels`` renames variables, ``order`` fixes their order."""

    models: Sequence[FittedModel]
    labels: Mapping[str, str] = field(default_factory=dict)
    order: Sequence[str] | None = None
    digits: int = 3
    thresholds: Sequence[float] = (0.1, 0.05, 0.01)
    title: str = ""
    notes: Sequence[str] = ()
    extra_rows: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def __post_init__(self):
        if not self.models:
            raise ValueError("a regression table needs at least one model")
        for name, row in self.extra_rows.items():
            if len(row) != len(self.models):
                raise ValueError(f"extra row {name!r} has {len(row)} entries for {len(self.models)} models")

    def variables(self) -> list[str]:
        """Regressors in display order: ``order`` first, then the others as they first appear."""
        seen = list(dict.fromkeys(v for m in self.models for v in m.params.index))
        if self.order is None:
            return seen
        first = [v for v in self.order if v in seen]
        return first + [v for v in seen if v not in first]

    def numbers(self) -> pd.DataFrame:
        """Long numeric table: model, dependent, variable, coef, std_err, p_value."""
        rows = []
        for i, m in enumerate(self.models, start=1):
            for v in m.params.index:
                rows.append(
                    {
                        "model": f"({i})",
                        "dependent": m.dependent,
                        "variable": v,
                        "coef": float(m.params[v]),
                        "std_err": float(m.std_errors[v]),
                        "p_value": float(m.pvalues[v]),
                    }
                )
        return pd.DataFrame(rows)

    def _columns(self) -> list[str]:
        return [f"({i})" for i in range(1, len(self.models) + 1)]

    def _effect_names(self) -> list[str]:
        return list(dict.fromkeys(k for m in self.models for k in m.effects))

    def footer(self) -> list[str]:
        """The note printed under the table: errors, stars and any further notes."""
        covs = list(dict.fromkeys(m.covariance for m in self.models if m.covariance))
        marks = ", ".join(f"{'*' * (i + 1)} p < {t:g}" for i, t in enumerate(self.thresholds))
        return [f"Standard errors in parentheses ({'; '.join(covs) or 'as estimated'}). {marks}.", *self.notes]

    def to_frame(self) -> pd.DataFrame:
        """The table as strings: index = row labels (SE rows have an empty label), one column per model."""
        cols = self._columns()
        body: list[tuple[str, list[str]]] = [("", [m.dependent for m in self.models])]
        for v in self.variables():
            coef, se = [], []
            for m in self.models:
                if v in m.params.index:
                    coef.append(_fmt(m.params[v], self.digits) + stars(m.pvalues[v], self.thresholds))
                    se.append(f"({_fmt(m.std_errors[v], self.digits)})")
                else:
                    coef.append("")
                    se.append("")
            body += [(self.labels.get(v, v), coef), ("", se)]
        for name, row in self.extra_rows.items():
            body.append((name, list(row)))
        for eff in self._effect_names():
            body.append((eff, ["Yes" if m.effects.get(eff) else "No" for m in self.models]))
        body.append(("Observations", [f"{m.nobs:,}" for m in self.models]))
        r2_labels = list(dict.fromkeys(m.rsquared_label for m in self.models))
        body.append((" / ".join(r2_labels), [_fmt(m.rsquared, self.digits) for m in self.models]))
        if any(m.n_clusters for m in self.models):
            body.append(("Clusters", [str(m.n_clusters or "") for m in self.models]))
        frame = pd.DataFrame([r for _, r in body], columns=cols, index=[label for label, _ in body])
        return frame

    # --- renderers ---------------------------------------------------------------------------------------
    def to_text(self) -> str:
        text = self.to_frame().to_string()
        return "\n".join([*([self.title] if self.title else []), text, *self.footer()])

    def to_latex(self) -> str:
        """A booktabs ``tabular`` (needs ``\\usepackage{booktabs}``), dependent names as a header row."""
        frame = self.to_frame()
        n = len(frame.columns)

        def esc(s: str) -> str:
            out = str(s)
            for a, b in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("_", r"\_"), ("#", r"\#")):
                out = out.replace(a, b)
            for a, b in (("R²", "$R^2$"), ("²", "$^2$"), ("−", "-"), ("·", r"$\cdot$"), ("×", r"$\times$")):
                out = out.replace(a, b)
            return out

        def cell(s: str) -> str:
            s = str(s)
            core = s.rstrip("*")
            mark = s[len(core) :]
            return esc(core) + (f"$^{{{mark}}}$" if mark else "")

        lines = [r"\begin{tabular}{l" + "c" * n + "}", r"\toprule"]
        lines.append(" & " + " & ".join(frame.columns) + r" \\")
        lines.append(" & " + " & ".join(esc(c) for c in frame.iloc[0]) + r" \\")
        lines.append(r"\midrule")
        n_vars = 2 * len(self.variables())
        for i, (label, row) in enumerate(frame.iloc[1:].iterrows()):
            if i == n_vars:
                lines.append(r"\midrule")
            lines.append(esc(label) + " & " + " & ".join(cell(c) for c in row) + r" \\")
        lines.append(r"\bottomrule")
        lines.append(r"\multicolumn{" + str(n + 1) + r"}{l}{\footnotesize " + esc(" ".join(self.footer())) + r"} \\")
        lines.append(r"\end{tabular}")
        return "\n".join(lines)

    def to_html(self) -> str:
        """A standalone HTML table (Word and LibreOffice open it), with the note as a caption footer."""
        frame = self.to_frame()
        esc = html.escape
        head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
        deps = "".join(f"<th>{esc(str(c))}</th>" for c in frame.iloc[0])
        rows = []
        n_vars = 2 * len(self.variables())
        for i, (label, row) in enumerate(frame.iloc[1:].iterrows()):
            rule = "border-top:1px solid black;" if i == n_vars else ""
            cells = "".join(f'<td style="{rule}">{esc(str(c))}</td>' for c in row)
            rows.append(f'<tr><th style="{rule}text-align:left">{esc(label)}</th>{cells}</tr>')
        note = "<br>".join(esc(x) for x in self.footer())
        caption = f"<caption>{esc(self.title)}</caption>" if self.title else ""
        return (
            '<table class="regression" style="border-collapse:collapse;text-align:center">'
            f'{caption}<thead style="border-bottom:1px solid black"><tr><th></th>{head}</tr>'
            f"<tr><th></th>{deps}</tr></thead><tbody>{''.join(rows)}</tbody>"
            f'<tfoot><tr><td colspan="{len(frame.columns) + 1}" style="text-align:left;font-size:small;'
            f'border-top:1px solid black">{note}</td></tr></tfoot></table>'
        )

    def to_rtf(self) -> str:
        """A Rich Text Format document with the table (Microsoft Word opens it as an editable table)."""
        frame = self.to_frame()

        def esc(s: str) -> str:
            out = []
            for ch in str(s):
                if ch in "\\{}":
                    out.append("\\" + ch)
                elif ord(ch) > 127:
                    out.append(f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?")
                else:
                    out.append(ch)
            return "".join(out)

        width = 1800
        n = len(frame.columns) + 1
        lines = [r"{\rtf1\ansi\deff0{\fonttbl{\f0 Times New Roman;}}\fs20"]
        if self.title:
            lines.append(r"{\pard\b " + esc(self.title) + r"\par}")
        all_rows = [("", list(frame.columns)), *((label, list(row)) for label, row in frame.iterrows())]
        for r, (label, row) in enumerate(all_rows):
            top = r"\clbrdrt\brdrs" if r in (0, 2) else ""
            cells = "".join(f"{top}\\cellx{width * (j + 1)}" for j in range(n))
            align = [r"\ql", *[r"\qc"] * (n - 1)]
            texts = "".join(rf"\pard\intbl{a} {esc(t)}\cell" for a, t in zip(align, [label, *row], strict=True))
            lines.append(rf"\trowd\trgaph80{cells}{texts}\row")
        lines.append(r"\pard\fs16 " + esc(" ".join(self.footer())) + r"\par}")
        return "\n".join(lines)

    def write(self, path: str | Path) -> Path:
        """Write by suffix — .csv (the frame), .tex, .html, .rtf, .txt — atomically."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in FORMATS:
            raise ValueError(f"{path}: write a regression table to {', '.join(FORMATS)}, not {suffix or '(none)'}")
        text = {
            ".csv": lambda: self.to_frame().to_csv(),
            ".tex": self.to_latex,
            ".html": lambda: (
                f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{self.to_html()}</body></html>'
            ),
            ".rtf": self.to_rtf,
            ".txt": self.to_text,
        }[suffix]()
        with atomic_write(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        return path


def write_table(tables: Mapping[str, RegressionTable], which: str, path: str | Path) -> Path:
    """Write the regression table named ``which`` by the suffix of ``path`` (.tex, .html, .rtf, .csv, .txt)."""
    if which not in tables:
        raise KeyError(f"no regression table {which!r}; tables: {', '.join(tables)}")
    return tables[which].write(path)
