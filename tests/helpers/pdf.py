"""Reading PDFs (through poppler-utils: pdffonts) and the PNG pages rendered from them in tests."""

from __future__ import annotations

import subprocess


def pdf_font_types(path) -> list[tuple[str, str]]:
    """``(name, type)`` of every font in the PDF at ``path``, as ``pdffonts`` lists them."""
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    # columns: name, type (one or two words), encoding, emb, sub, uni, object ID (two numbers)
    return [(row.split()[0], " ".join(row.split()[1:-6])) for row in rows if row.strip()]


def colour_pixels(png: bytes, colour: str, box=(0, 0, 1, 1), tolerance: int = 6) -> int:
    """Pixels of ``colour`` (within ``tolerance`` per channel, of 255) in the part ``box`` (x0, y0, x1, y1 as
    fractions from the top left) of a PNG image."""
    import io

    import numpy as np
    from matplotlib.colors import to_rgb
    from PIL import Image

    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    height, width = image.shape[:2]
    part = image[int(box[1] * height) : int(box[3] * height), int(box[0] * width) : int(box[2] * width)]
    target = np.round(np.array(to_rgb(colour)) * 255).astype(int)
    return int((np.abs(part - target).max(axis=2) <= tolerance).sum())
