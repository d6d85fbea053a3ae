"""Attribution and conventions of gridded results: the publisher and citation of each product family, the
catalogue entry of each series, the conventions that change the numbers."""

from __future__ import annotations

import re
from pathlib import Path

from coreduce.grid.files import GridFile

FAMILIES = {
    "ACAG": {
        "publisher": "Atmospheric Composition Analysis Group, Washington University in St. Louis (ACAG)",
        "citation": "van Donkelaar, A. et al. (2021) Monthly global estimates of fine particulate matter and their "
        "uncertainty. Environ. Sci. Technol. 55, 15287-15300",
        "variable": "pm25_acag",
    },
    "CHAP": {
        "publisher": "ChinaHighAirPollutants (CHAP), Wei Jing et al.",
        "citation": "Wei, J. et al. (2021) Reconstructing 1-km-resolution high-quality PM2.5 data records from 2000 "
        "to 2018 in China. Remote Sens. Environ. 252, 112136",
        "variable": "pm25_chap",
    },
    "EDGAR": {
        "publisher": "European Commission, Joint Research Centre (EDGAR)",
        "citation": "Crippa, M. et al. EDGAR - Emissions Database for Global Atmospheric Research",
        "variable": None,
    },
    "CEDS": {
        "publisher": "Community Emissions Data System (CEDS), PNNL/JGCRI",
        "citation": "O'Rourke, P. R. et al. CEDS gridded anthropogenic emissions",
        "variable": None,
    },
}


def family(product: str) -> str | None:
    """The product family (ACAG, CHAP, EDGAR, CEDS) a product name starts with, else None."""
    head = product.split()[0].upper() if product else ""
    return head if head in FAMILIES else None


def slug(text: str) -> str:
    """Lower case, every run of other characters → ``_`` (for source ids and variable names)."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def source_row(grid_file: GridFile, source_id: str) -> dict:
    info = FAMILIES.get(family(grid_file.product) or "", {})
    return {
        "source": source_id,
        "publisher": info.get("publisher", grid_file.attrs.get("institution", "unknown (see the file)")),
        "title": f"{grid_file.product} gridded {grid_file.variable}, aggregated to zones by coreduce",
        "licence": "as published by the data provider (check before redistribution)",
        "citation": info.get("citation", grid_file.attrs.get("references", "")),
        "files": [],
    }


def catalogue_row(grid_file: GridFile, var_name: str, unit: str, source_id: str, weight: str, earth: str) -> dict:
    info = FAMILIES.get(family(grid_file.product) or "", {})
    if grid_file.kind == "mean":
        how = f"{weight}-weighted mean"
    elif grid_file.kind == "flux":
        how = "sum (flux integrated over the year × cell area)"
    else:
        how = "sum of the amounts per cell"
    return {
        "variable": var_name,
        "unit": unit,
        "definition": f"{how} of {grid_file.product} {grid_file.variable} over each zone, cells weighted by the "
        f"exact fraction inside the zone (exactextract); cell areas: {earth}",
        "publisher": info.get("publisher", "unknown"),
        "source": source_id,
    }


def conventions_of(grid_files, weight, earth, label, chunk_mb, pop_file, population_density) -> dict:
    geographic = any(g.grid.geographic for g in grid_files)
    conventions = {
        "statistic": "mean" if all(g.kind == "mean" for g in grid_files) else "sum",
        "weight": weight,
        "cell_area": CELL_AREA_TEXT[earth] if geographic else "planar (projected grid)",
        "partial_cells": "weighted by the exact fraction inside the zone (exactextract)",
        "nodata": "cells with _FillValue/nodata are left out and counted (n_nodata)",
        "coverage": "share of the zone's area (in the grid's coordinate plane) covered by cells with data",
        "sub_annual_steps": "means weighted by step length; fluxes integrated over the calendar; amounts summed",
        "scheduler": label,
        "chunk_mb": chunk_mb,
    }
    if pop_file is not None:
        what = "density × cell area" if population_density else "count per cell"
        conventions["population"] = f"{Path(pop_file.path).name} ({what}); nearest available population year"
    return conventions


CELL_AREA_TEXT = {
    "sphere": "sphere of the WGS84 authalic radius 6371007.2 m",
    "wgs84": "WGS84 ellipsoid",
    "none": "none (every cell counts 1)",
}


def default_name(grid_file: GridFile, family: str | None, weight: str) -> str:
    base = FAMILIES.get(family or "", {}).get("variable")
    if base is None:
        base = slug(grid_file.variable)
    return f"{base}_popw" if weight == "population" else base
