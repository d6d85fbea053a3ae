"""The ``coreduce`` command.

Every module ``coreduce.cli.<name>`` defines ``register(app)`` that adds its commands; they are found here
so that each area of the tool keeps its commands beside nothing else. Command modules import heavy libraries
inside the command functions so that ``coreduce --help`` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

import coreduce.cli

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
