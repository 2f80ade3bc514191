"""Figures as the reader gets them: an embedded PNG with alternative text, a caption and sources.

nbconvert's lab template drops the alt text of image outputs, so a figure reaches the HTML as
one `<figure>` element built here, with every text escaped.
"""

import base64
import html
import io

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from helpers.i18n import label

PNG_DPI = 150  # 1000 pixels across the A4 text width: sharp in print, light in the page


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG, byte-identical for identical figures (no timestamp in the metadata)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()


def figure_html(
    figure: Figure, number: int, caption: str, alt: str, sources: str, lang: str
) -> str:
    """A `<figure>` with the PNG inline, its alt text, a numbered caption and a source note."""
    data = base64.b64encode(png_bytes(figure)).decode("ascii")
    return (
        f'<figure class="report-figure" id="figure-{number}">'
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" />'
        f"<figcaption><strong>{html.escape(label('figure_number', lang, number=number))}</strong> "
        f'{html.escape(caption)} <span class="source-note">{sources}</span></figcaption>'
        "</figure>"
    )


def close(figure: Figure) -> None:
    """Free the figure once it is embedded, so the notebook does not show it a second time."""
    plt.close(figure)
