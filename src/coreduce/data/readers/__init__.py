"""Publisher readers: one module per publisher format, each turning raw public files into canonical rows.

Every reader takes the public data root (:func:`coreduce.paths.shared_data_dir`) and returns a
:class:`ReaderOutput`: canonical panel rows (``validate_panel`` passes), a catalogue row per variable it
emits and a sources row per source id it cites. :data:`READERS` lists them in build order. Bad input raises
:class:`ReaderError` naming the file, sheet, row and column and what was expected.
"""

from __future__ import annotations

from coreduce.data.readers import (
    aqli,
    ceads_derived,
    ceads_national,
    ceads_provinces,
    ceds_national,
    ceds_provincial,
    classification,
    edgar,
    green_finance,
    green_panel,
    nbs_national_gdp,
    nbs_provincial,
    owid,
    owid_world,
    techme,
    yearbook_panel,
)
from coreduce.data.readers._base import Reader, ReaderError, ReaderOutput

READERS: tuple[Reader, ...] = (
    ceads_provinces.READER,
    ceads_derived.READER,
    ceads_national.READER,
    yearbook_panel.READER,
    owid.READER,
    ceds_national.READER,
    ceds_provincial.READER,
    aqli.READER,
    nbs_national_gdp.READER,
    nbs_provincial.READER,
    techme.READER,
    green_panel.READER,
    classification.READER,
    owid_world.READER,
    edgar.READER,
    green_finance.READER,
)


def reader(name: str) -> Reader:
    """The reader called ``name``; an unknown name is an error listing the known ones."""
    for item in READERS:
        if item.name == name:
            return item
    raise KeyError(f"no reader {name!r}; known readers: {', '.join(r.name for r in READERS)}")


__all__ = ["READERS", "Reader", "ReaderError", "ReaderOutput", "reader"]
