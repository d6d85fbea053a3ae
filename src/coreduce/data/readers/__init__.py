"""Publisher readers: one module per publisher format, each turning raw public files into canonical rows.

Every reader takes the public data root (:func:`coreduce.paths.shared_data_dir`) and returns a
:class:`ReaderOutput`: canonical panel rows (``validate_panel`` passes), a catalogue row per variable it
emits and a sources row per source id it cites. :data:`READERS` lists them in build order. Bad input raises
:class:`ReaderError` naming the file, sheet, row and column and what was expected.
"""

from __future__ import annotations

from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput
from coreduce.data.readers.ceads_national import READER as _CEADS_NATIONAL
from coreduce.data.readers.ceads_provinces import READER as _CEADS_PROVINCES
from coreduce.data.readers.owid import READER as _OWID
from coreduce.data.readers.yearbook_panel import READER as _YEARBOOK_PANEL

READERS: tuple[Reader, ...] = (_CEADS_PROVINCES, _CEADS_NATIONAL, _YEARBOOK_PANEL, _OWID)


def reader(name: str) -> Reader:
    """The reader called ``name``; an unknown name is an error listing the known ones."""
    for item in READERS:
        if item.name == name:
            return item
    raise KeyError(f"no reader {name!r}; known readers: {', '.join(r.name for r in READERS)}")


__all__ = ["READERS", "Reader", "ReaderError", "ReaderOutput", "reader"]
