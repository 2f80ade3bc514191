"""What a reader needs of a chart's text, measured with the renderer after a draw."""

import itertools

MIN_POINTS = 7  # the body's caption size in print: no text of a chart below it


def all_texts(figure) -> list:
    texts = [text for text in figure.texts]
    for legend in figure.legends:
        texts += legend.get_texts()
    for ax in figure.axes:
        texts += list(ax.texts) + ax.get_yticklabels()
        low, high = ax.get_xlim()
        texts += [
            t
            for t, tick in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True)
            if low <= tick <= high
        ]
    return [text for text in texts if text.get_visible() and text.get_text()]


def assert_legible(figure) -> None:
    """No text under 7 pt, none outside the figure, no two texts touching; measured after a
    draw, as the figure is saved (a chart need not have drawn itself to place its words)."""
    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    texts = all_texts(figure)
    assert min(text.get_fontsize() for text in texts) >= MIN_POINTS
    page = figure.bbox
    boxes = [(text.get_text(), text.get_window_extent(renderer)) for text in texts]
    for name, box in boxes:
        assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 <= box.y1 <= page.y1, (
            name
        )
    clashes = [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
               if box_a.overlaps(box_b)]  # fmt: skip
    assert clashes == []
