"""The figures the report draws for one analysis result, written to files: what ``--plot`` on ``coreduce trends``,
``synergy`` and ``decompose`` writes.

The report's own section builders make them (same data, captions, fonts and layout as in the report), handed the
result the command computed so nothing is computed twice, and they are drawn as the report draws its figures
(:mod:`coreduce.report.drawing`).
"""

from __future__ import annotations

import warnings
from pathlib import Path

from coreduce.fileio import atomic_write

# result kind → (key under which the report caches that result, section builders that draw its figures)
_BUILDERS = {
    "trends": ("trends", ("coreduce.report.sections.trends:national", "coreduce.report.sections.trends:regional")),
    "costatus": ("costatus", ("coreduce.report.sections.costatus:provinces_section",)),
    "drivers": ("drivers", ("coreduce.report.sections.costatus:drivers_section",)),
}
PLOTTED = tuple(_BUILDERS)
SUFFIXES = (".png", ".svg", ".pdf")


def _builder(spec: str):
    from importlib import import_module

    module, name = spec.split(":")
    return getattr(import_module(module), name)


def plot_result(
    kind: str, result, panel, conventions, path: str | Path, lang: str = "zh", dpi: int = 300
) -> list[Path]:
    """Draw the report's figures of ``result`` (a result of :data:`PLOTTED` kind computed with ``conventions`` on
    ``panel``) and write them to ``path`` (``.png``, ``.svg`` or ``.pdf``); when there are several, each gets its
    figure key after the stem (``plot_fig5_cocontrol.png``). Returns the files written."""
    import matplotlib

    matplotlib.use("Agg")
    from coreduce.report.drawing import encode, layout
    from coreduce.report.fonts import rc_params, resolve_language
    from coreduce.report.sections.base import Context

    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ValueError(f"{path}: a figure is written as {', '.join(SUFFIXES)}")
    key, builders = _BUILDERS[kind]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        choice = resolve_language(lang)
    ctx = Context(panel=panel, lang=choice.lang, conventions=conventions, results={key: result})
    with matplotlib.rc_context(rc_params(choice)):
        figures = [figure for spec in builders for figure in _builder(spec)(ctx).figures]
        written = []
        for figure in figures:
            target = path if len(figures) == 1 else path.with_name(f"{path.stem}_{figure.key}{path.suffix}")
            drawn = encode(figure.figure, path.suffix[1:].lower(), layout(figure.figure), dpi)
            with atomic_write(target) as tmp:
                tmp.write_bytes(drawn)
            written.append(target)
    return written
