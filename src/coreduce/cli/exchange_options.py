"""Options shared by ``coreduce serve`` and ``coreduce exchange deliver``: where events go and how they are retried."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

Outbound = Annotated[
    Path | None,
    typer.Option(
        "--outbound",
        help="JSON list of hosts events go to (base_url, client_id/client_secret held there, companies served).",
    ),
]
OutboundCa = Annotated[Path | None, typer.Option("--outbound-ca", help="CA bundle for the outbound hosts.")]
RetryFirst = Annotated[
    float,
    typer.Option(
        "--retry-first",
        help="Pause before the second try (s; half of each pause is drawn at random); each later pause doubles.",
        min=0.01,
    ),
]
RetryLongest = Annotated[float, typer.Option("--retry-longest", help="Longest pause between tries (s).", min=0.01)]
GiveUpHours = Annotated[
    float, typer.Option("--give-up-hours", help="An event not delivered this long after queuing is dead.", min=0)
]

KeepDeliveredDays = Annotated[
    float, typer.Option("--keep-delivered-days", min=0, help="Delivered events are deleted this long after (days).")
]
KeepEndedDays = Annotated[
    float, typer.Option("--keep-ended-days", min=0, help="Dead or dropped events are deleted this long after (days).")
]


def delivery_settings(
    outbound: Path | None,
    outbound_ca: Path | None,
    retry_first: float,
    retry_longest: float,
    give_up_hours: float,
    keep_delivered_days: float = 7.0,
    keep_ended_days: float = 30.0,
) -> dict:
    """The ``Settings`` fields of event delivery from the command-line options; ValueError or FileNotFoundError
    naming the file and entry when one is wrong."""
    from coreduce.exchange.settings import outbound_from_file

    hosts = outbound_from_file(outbound) if outbound is not None else ()
    if outbound_ca is not None and not outbound_ca.is_file():
        raise FileNotFoundError(f"--outbound-ca: file not found: {outbound_ca}")
    return {
        "outbound": hosts,
        "outbound_verify": str(outbound_ca) if outbound_ca else True,
        "retry_first": retry_first,
        "retry_longest": retry_longest,
        "give_up_after": timedelta(hours=give_up_hours),
        "keep_delivered": timedelta(days=keep_delivered_days),
        "keep_ended": timedelta(days=keep_ended_days),
    }
