"""The ``coreduce`` command.

Every module ``coreduce.cli.<name>`` defines ``register(app)`` that adds its commands; they are found here
so that each area of the tool keeps its commands beside nothing else. Command modules import heavy libraries
inside the command functions so that ``coreduce --help`` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer
from typer.core import TyperOption

import coreduce.cli

_value_type = TyperOption.display_type_rich


def _flag_without_type(self: TyperOption, ctx) -> str | None:
    """The type column of ``--help``: nothing for a flag (``--help``, ``--yes``) instead of ``<bool>``."""
    return None if self.is_flag else _value_type(self, ctx)


TyperOption.display_type_rich = _flag_without_type


class _Coreduce(typer.Typer):
    """The app, which turns a module missing from an uninstalled extra into a message naming the extra."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except ModuleNotFoundError as exc:
            from coreduce.cli.extras import missing_extra

            argv = kwargs.get("args") or (args[0] if args else sys.argv[1:])
            command = next((a for a in argv if not a.startswith("-")), None)
            message = missing_extra(exc.name or "", command)
            if message is None:
                raise
            from rich.console import Console
            from rich.markup import escape

            Console(stderr=True).print(f"[red]error:[/red] {escape(message)}", highlight=False)
            raise SystemExit(1) from None


app = _Coreduce(
    name="coreduce",
    help="Co-reduction of air pollution and carbon in China: panel data, metrics, reports, footprint exchange.",
    no_args_is_help=True,
    add_completion=False,
)


def _register_commands() -> None:
    for info in sorted(pkgutil.iter_modules(coreduce.cli.__path__), key=lambda m: m.name):
        if info.name in ("main", "extras") or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"coreduce.cli.{info.name}")
        if hasattr(module, "register"):  # e.g. coreduce.cli.options holds shared options, no command
            module.register(app)


_register_commands()


def main() -> None:
    app()
