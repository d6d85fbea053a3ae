"""The ``coreduce`` command.

Every module ``coreduce.cli.<name>`` defines ``register(app)`` that adds its commands; they are found here
so that each area of the tool keeps its commands beside nothing else. Command modules import heavy libraries
inside the command functions so that ``coreduce --help`` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer
from typer.core import TyperOption

import coreduce.cli

_value_type = TyperOption.display_type_rich


def _flag_without_type(self: TyperOption, ctx) -> str | None:
    """The type column of ``--help``: nothing for a flag (``--help``, ``--yes``) instead of ``<bool>``."""
    return None if self.is_flag else _value_type(self, ctx)


TyperOption.display_type_rich = _flag_without_type

app = typer.Typer(
    name="coreduce",
    help="Co-reduction of air pollution and carbon in China: panel data, metrics, reports, footprint exchange.",
    no_args_is_help=True,
    add_completion=False,
)


def _register_commands() -> None:
    for info in sorted(pkgutil.iter_modules(coreduce.cli.__path__), key=lambda m: m.name):
        if info.name == "main" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"coreduce.cli.{info.name}")
        if hasattr(module, "register"):  # e.g. coreduce.cli.options holds shared options, no command
            module.register(app)


_register_commands()


def main() -> None:
    app()
