"""Web pages served beside the exchange's API: server-rendered HTML over the same core the CLI uses.

The pages hold no logic of their own: :mod:`coreduce.web.explorer` selects rows of the panel
(:func:`coreduce.data.open.open_panel`) and the downloads are written by :func:`coreduce.data.export.export_panel`.
Every page is rendered from the Jinja2 templates and the one stylesheet shipped in this package and carries a
Content-Security-Policy that lets the browser load nothing from another host.
"""

from coreduce.web.pages import router

__all__ = ["router"]
