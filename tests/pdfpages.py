"""Read what a PDF's pages hold: where images are drawn, which fonts lack their file, bookmarks."""

from pathlib import Path

from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream, DictionaryObject

IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _multiply(m: tuple, n: tuple) -> tuple:
    """The PDF matrix product m . n (m applied first), matrices as (a, b, c, d, e, f)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _unit_square(matrix: tuple) -> tuple[float, float, float, float]:
    a, b, c, d, e, f = matrix
    xs = [e, a + e, c + e, a + c + e]
    ys = [f, b + f, d + f, b + d + f]
    return min(xs), min(ys), max(xs), max(ys)


def _resolved(dictionary: DictionaryObject | None, key: str) -> dict:
    """dictionary[key] followed to its object; an empty dict when absent."""
    if dictionary is None or key not in dictionary:
        return {}
    return dictionary[key].get_object()


def _walk(content: ContentStream, resources: DictionaryObject, ctm: tuple, reader, found: list):
    stack: list[tuple] = []
    xobjects = _resolved(resources, "/XObject")
    for operands, operator in content.operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop() if stack else IDENTITY
        elif operator == b"cm":
            ctm = _multiply(tuple(float(x) for x in operands), ctm)
        elif operator == b"Do":
            xobject = xobjects[operands[0]].get_object()
            if xobject["/Subtype"] == "/Image":
                found.append(_unit_square(ctm))
            elif xobject["/Subtype"] == "/Form":
                matrix = tuple(float(x) for x in xobject.get("/Matrix", IDENTITY))
                inner = ContentStream(xobject, reader)
                inner_resources = xobject.get("/Resources", resources)
                _walk(inner, inner_resources, _multiply(matrix, ctm), reader, found)


def image_boxes(page: PageObject) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) in points of every image drawn on `page`, forms included."""
    found: list = []
    contents = page.get_contents()
    if contents is not None:
        _walk(contents, page["/Resources"].get_object(), IDENTITY, page.pdf, found)
    return found


def _fonts_of(resources: DictionaryObject, seen: set) -> list[DictionaryObject]:
    fonts = []
    for font in _resolved(resources, "/Font").values():
        fonts.append(font.get_object())
    for xobject in _resolved(resources, "/XObject").values():
        xobject = xobject.get_object()
        inner = xobject.get("/Resources")
        if xobject.get("/Subtype") == "/Form" and inner is not None and id(inner) not in seen:
            seen.add(id(inner))
            fonts += _fonts_of(inner.get_object(), seen)
    return fonts


def fonts_used(reader: PdfReader) -> dict[str, bool]:
    """Each font used on any page, and whether its glyphs are in the file."""
    embedded: dict[str, bool] = {}
    for page in reader.pages:
        for font in _fonts_of(page["/Resources"].get_object(), set()):
            name = str(font.get("/BaseFont", font.get("/Name", "?")))
            if font.get("/Subtype") == "/Type3":
                embedded[name] = True  # glyphs drawn by the PDF's own procedures
                continue
            if font.get("/Subtype") == "/Type0":
                described = font["/DescendantFonts"][0].get_object()
            else:
                described = font
            descriptor = described.get("/FontDescriptor")
            has_file = descriptor is not None and any(
                key in descriptor.get_object() for key in FONT_FILES
            )
            embedded[name] = embedded.get(name, True) and has_file
    return embedded


def outline_titles(reader: PdfReader) -> list[str]:
    """The bookmark titles, depth first, as a PDF reader's sidebar lists them."""
    titles = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(item.title))

    walk(reader.outline)
    return titles


# The printed body of an A4 page, between the margins that helpers.printing prints with
# (18 mm top, 20 mm bottom): the running head and the page number lie outside it.
A4_HEIGHT_MM = 297.0
BODY_TOP_MM, BODY_BOTTOM_MM = 18.0, 277.0
INK = 235  # a pixel darker than this (0 black, 255 white) is ink, not paper


def empty_below(pdf: Path) -> list[float]:
    """For each page, the share of its printed body left blank below the last ink on it.

    Pages are rendered by PDFium (the PDF engine of Chromium), so this is what paper shows.
    """
    import numpy
    import pypdfium2

    shares = []
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        for page in document:
            pixels = page.render(scale=1, grayscale=True).to_numpy()
            rows_per_mm = pixels.shape[0] / A4_HEIGHT_MM
            top, bottom = round(BODY_TOP_MM * rows_per_mm), round(BODY_BOTTOM_MM * rows_per_mm)
            inked = numpy.nonzero((pixels[top:bottom] < INK).any(axis=1))[0]
            last = inked.max() + 1 if len(inked) else 0
            shares.append(1 - last / (bottom - top))
    finally:
        document.close()
    return shares


def section_starts(reader: PdfReader) -> set[int]:
    """The (0-based) pages on which a top-level section of the report begins, from its outline."""
    starts = set()
    for item in reader.outline:  # [title, [sections...]]
        if isinstance(item, list):
            for section in item:
                if not isinstance(section, list):
                    starts.add(reader.get_destination_page_number(section))
    return starts
