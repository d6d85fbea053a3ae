"""Reading PDFs in tests through poppler-utils (pdffonts)."""

from __future__ import annotations

import subprocess


def pdf_font_types(path) -> list[tuple[str, str]]:
    """``(name, type)`` of every font in the PDF at ``path``, as ``pdffonts`` lists them."""
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    # columns: name, type (one or two words), encoding, emb, sub, uni, object ID (two numbers)
    return [(row.split()[0], " ".join(row.split()[1:-6])) for row in rows if row.strip()]
