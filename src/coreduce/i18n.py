"""Text shown to users, from message catalogues keyed by stable identifiers (gettext ``.po`` files).

The catalogues live in ``coreduce/locale/<lang>/LC_MESSAGES/coreduce.po``, one per language (``zh``, ``en``),
and are read with Babel. A message id is a stable key such as ``convention.prices`` or
``note.trends.national_sum``, never an English sentence; the ``msgstr`` may hold ``{name}`` fields filled from
the parameters a note or missing-data record carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from babel.messages.pofile import read_po

LANGUAGES = ("zh", "en")
DOMAIN = "coreduce"


class UnknownMessageError(KeyError):
    """A message key that a catalogue does not hold."""


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return lang


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """Every translated message of ``lang`` as ``{key: text}``."""
    check_language(lang)
    resource = files("coreduce") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with resource.open("rb") as handle:
        parsed = read_po(handle, locale=lang, domain=DOMAIN)
    return {str(m.id): str(m.string) for m in parsed if m.id and m.string}


def has_message(key: str, lang: str) -> bool:
    return key in catalogue(lang)


def message(key: str, lang: str = "en", /, **params: Any) -> str:
    """The text of ``key`` in ``lang`` with ``{name}`` fields filled from ``params``.

    Raises :class:`UnknownMessageError` for a key the catalogue lacks (the catalogue test checks that every key
    the code uses exists in both languages).
    """
    try:
        template = catalogue(lang)[key]
    except KeyError:
        raise UnknownMessageError(f"message {key!r} is not in the {lang} catalogue") from None
    return template.format(**params) if params else template


def text_or_value(key: str, lang: str, fallback: Any) -> str:
    """The catalogue text of ``key`` when it exists, else ``str(fallback)`` (for free values such as a year)."""
    return message(key, lang) if has_message(key, lang) else str(fallback)
