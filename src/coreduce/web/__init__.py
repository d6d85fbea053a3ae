"""Web pages served beside the exchange's API: server-rendered HTML over the same core the CLI uses.

The pages hold no logic of their own: :mod:`coreduce.web.explorer` selects rows of the panel
(:func:`coreduce.data.open.open_panel`) and the downloads are written by :func:`coreduce.data.export.export_panel`;
the supplier workspace (:mod:`coreduce.web.workspace`, :mod:`coreduce.web.footprints`,
:mod:`coreduce.web.chain`) calls the exchange's
service for every number and every decision. Every page is rendered from the Jinja2 templates and the one
stylesheet shipped in this package and carries a Content-Security-Policy that lets the browser load nothing from
another host.
"""

from fastapi import APIRouter

from coreduce.web import chain, footprints, pages, workspace

MODULES = (pages, workspace, footprints, chain)
router = APIRouter(include_in_schema=False)
for _module in MODULES:
    router.include_router(_module.router)

__all__ = ["MODULES", "router"]
