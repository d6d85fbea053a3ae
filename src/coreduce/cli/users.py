"""``coreduce exchange user add|remove``: the people who sign in to the supplier workspace."""

from __future__ import annotations

from typing import Annotated

import typer

from coreduce.cli.exchange import DatabaseUrl, _fail, exchange_app


def user_command(
    action: Annotated[str, typer.Argument(help="add or remove.")],
    login: Annotated[str, typer.Argument(help="The user's login (e.g. an e-mail address; case-insensitive).")],
    company: Annotated[str, typer.Option("--company", help="URN of the user's company (add).")] = "",
    role: Annotated[str, typer.Option("--role", help="admin (manages API clients) or member (add).")] = "member",
    database_url: DatabaseUrl = None,
) -> None:
    """Add a workspace user to a company (the password is asked twice, at least 12 characters, stored as a scrypt
    hash) or remove one (ending their sessions)."""
    from rich.console import Console

    from coreduce.exchange.errors import ExchangeError
    from coreduce.exchange.service import open_exchange

    if action not in ("add", "remove"):
        _fail(f"action must be 'add' or 'remove', got {action!r}")
    if action == "add" and not company:
        _fail("--company is required to add a user")
    try:
        exchange = open_exchange(database_url)
        if action == "remove":
            exchange.remove_user(login)
            Console().print(f"user {login} removed; their sessions are ended")
            return
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
        exchange.add_user(company, login, password, role)
    except ExchangeError as exc:
        _fail(exc.message)
    Console().print(f"user {login.strip().lower()} ({role}) added to {company}")


def register(app: typer.Typer) -> None:
    exchange_app.command("user")(user_command)
