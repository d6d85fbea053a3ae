"""Client secrets and bearer tokens.

Secrets are stored only as scrypt hashes (RFC 7914; ``hashlib.scrypt`` with N=2^14, r=8, p=1, 16-byte random
salt, 32-byte key) in the form ``scrypt$N$r$p$salt$hash`` (base64). Bearer tokens are 256-bit random strings;
the database keeps their SHA-256 only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_N, _R, _P, _DKLEN = 2**14, 8, 1, 32


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(secret.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=_DKLEN)
    return "$".join(
        ["scrypt", str(_N), str(_R), str(_P), base64.b64encode(salt).decode(), base64.b64encode(key).decode()]
    )


def verify_secret(secret: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_b64, key_b64 = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    salt, key = base64.b64decode(salt_b64), base64.b64decode(key_b64)
    candidate = hashlib.scrypt(secret.encode(), salt=salt, n=int(n), r=int(r), p=int(p), dklen=len(key))
    return hmac.compare_digest(candidate, key)


_DUMMY: list[str] = []


def dummy_hash() -> str:
    """A hash of a random secret nobody knows: an unknown client id is checked against it, so that answering an
    unknown id costs the same scrypt work as a known one (no enumeration of client ids by timing)."""
    if not _DUMMY:
        _DUMMY.append(hash_secret(secrets.token_urlsafe(32)))
    return _DUMMY[0]


def new_client_id() -> str:
    return "cr_" + secrets.token_hex(12)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
