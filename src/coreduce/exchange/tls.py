"""A self-signed TLS certificate for running the exchange locally over HTTPS.

ECDSA P-256 key, X.509 v3 certificate valid 825 days, subject alternative names ``localhost``, ``127.0.0.1``,
``::1`` and any extra host names given; the key is written with mode 0600. Files are written atomically.
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta
from pathlib import Path

from coreduce.fileio import atomic_write


def _write(path: Path, data: bytes, mode: int = 0o644) -> None:
    with atomic_write(path, mode=mode) as tmp:
        tmp.write_bytes(data)


def self_signed(directory: Path, hosts: tuple[str, ...] = ()) -> tuple[Path, Path]:
    """Create (or reuse, if present and not expiring within a day) ``cert.pem`` and ``key.pem`` in ``directory``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    names = ("localhost", "127.0.0.1", "::1", *hosts)
    if cert_path.exists() and key_path.exists():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        try:
            san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            present = {str(v) for v in san.get_values_for_type(x509.DNSName)} | {
                str(v) for v in san.get_values_for_type(x509.IPAddress)
            }
        except x509.ExtensionNotFound:
            present = set()
        fresh = cert.not_valid_after_utc > datetime.now(UTC) + timedelta(days=1)
        if fresh and set(names) <= present:
            return cert_path, key_path

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "coreduce exchange (self-signed)")])
    alt_names = []
    for name in names:
        try:
            alt_names.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alt_names.append(x509.DNSName(name))
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=825))
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _write(key_path, key_pem, mode=0o600)
    _write(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path
