"""The report: an edition's sections built from the facts, rendered by autoescaped templates.

data -> `helpers.context` (what an edition shows) -> `sections/<name>.py` (a `Section` each) ->
`templates/` (HTML) -> the page that `ai-war build` publishes as HTML and PDF.
"""

from helpers.report.edition import PAGE_MIMETYPE, Edition, open_edition
from helpers.report.section import FigureSpec, Section

__all__ = ["PAGE_MIMETYPE", "Edition", "FigureSpec", "Section", "open_edition"]
