"""The dashboard: pages, CSV downloads and SVG charts (see ``analysis.urls``)."""
