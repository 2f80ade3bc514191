"""nbconvert preprocessor: a table of contents built from the report's section headings.

Section headings are written in the notebook as `<h2 id="...">Title</h2>` so that their anchors are
the same in both languages; this collects them, in order, into a `<nav>` placed after the title.
It runs after the cells of the other language have been removed.
"""

import html
import re

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from nbformat.v4 import new_markdown_cell
from traitlets import Unicode

HEADING = re.compile(r'<h2 id="([a-z0-9-]+)">(.*?)</h2>', re.DOTALL)


def section_headings(cells: list[NotebookNode]) -> list[tuple[str, str]]:
    """(anchor, title) of every `<h2 id=...>` heading in the Markdown cells, in order."""
    found = []
    for cell in cells:
        if cell.cell_type == "markdown":
            found += HEADING.findall(cell.source)
    return found


def toc_html(headings: list[tuple[str, str]], title: str) -> str:
    """The `<nav>` listing `headings` as links."""
    items = "".join(
        f'<li><a href="#{anchor}">{html.escape(html.unescape(text))}</a></li>'
        for anchor, text in headings
    )
    name = html.escape(title)
    heading = f'<p class="toc-title">{name}</p>'
    return f'<nav class="toc" aria-label="{name}">{heading}<ol>{items}</ol></nav>'


class TableOfContents(Preprocessor):
    """Insert a table of contents after the first cell (the title)."""

    title = Unicode("Contents", help="Heading of the table of contents.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        headings = section_headings(nb.cells)
        if headings and nb.cells:
            toc = new_markdown_cell(toc_html(headings, self.title), id="table-of-contents")
            nb.cells.insert(1, toc)  # a fixed id keeps the HTML byte-identical from run to run
        return nb, resources
