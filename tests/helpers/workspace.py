"""Shared set-up of the workspace tests: three companies, their users, activity spreadsheets, sign-in helpers."""

from __future__ import annotations

import re
from pathlib import Path

ACME, BETA, GAMMA = "urn:company:acme", "urn:company:beta", "urn:company:gamma"
PASSWORD = "correct horse battery staple"
USERS = {
    "ann@acme.example": (ACME, "admin"),
    "max@acme.example": (ACME, "member"),
    "bea@beta.example": (BETA, "member"),
    "gus@gamma.example": (GAMMA, "admin"),
}
# The activity rows of tests/exchange/test_upload.py (one product, no product column); line 3 has a unit that is
# not an energy (its problem must be shown on line 3), GOOD is the same sheet fixed.
HEADER = "activity_type,fuel,sector,technology,region,year,mode,material,quantity,unit"
GOOD = f"""{HEADER}
fuel,hard_coal,power,old,,2015,,,1000,GJ
electricity,,,,east,2022,,,100,MWh
freight,,,,,2015,hgv_all_diesel/all_hgvs,,10000,t*km
"""
BAD = GOOD.replace("east,2022,,,100,MWh", "east,2022,,,100,parsec")
PRODUCT = {
    "productNameCompany": "HR coil",
    "productId": "urn:gtin:4712345060507",
    "producedAmount": "100000",
    "productMassPerDeclaredUnit": "1",
    "declaredUnitOfMeasurement": "kilogram",
    "referencePeriodStart": "2024-01-01",
    "referencePeriodEnd": "2025-01-01",
    "geographyCountry": "CN",
    "shareWith": "",
}


def populate(exchange) -> None:
    for urn, name in ((ACME, "Acme Steel"), (BETA, "Beta Motors"), (GAMMA, "Gamma Metals")):
        exchange.add_company(name, urn)
    for login, (urn, role) in USERS.items():
        exchange.add_user(urn, login, PASSWORD, role)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def sign_in(client, login: str, password: str = PASSWORD):
    """Sign in through the form (GET for its token, POST); the POST's response."""
    form = client.get("/workspace/login")
    return client.post(
        "/workspace/login",
        data={"login": login, "password": password, "csrf": csrf_of(form.text)},
        follow_redirects=False,
    )


def workspace_app(database: Path):
    """The exchange app with the web pages on a new SQLite database at ``database``, populated (plain HTTP, as
    the in-process test client speaks it)."""
    from coreduce.exchange.api.app import create_app
    from coreduce.exchange.settings import Settings
    from coreduce.web import router

    settings = Settings(
        database_url=f"sqlite:///{database}", require_https=False, routers=(router,), allowed_hosts=("testserver",)
    )
    made = create_app(settings)
    populate(made.state.exchange)
    return made
