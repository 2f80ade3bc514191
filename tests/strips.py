"""Reading a chart's density strips (helpers.density) as a reader would."""

import re

import numpy as np
from matplotlib.patches import StepPatch


def strip_counts(ax) -> list[int]:
    """The facts each density strip of `ax` counts: each bar's height against the tallest one's
    number ('1,208 a month', '1 208 par mois'), summed."""
    strips = [patch for patch in ax.patches if isinstance(patch, StepPatch)]
    peaks = [text for text in ax.texts if text.get_gid() == "density-peak"]
    assert len(strips) == len(peaks)  # every strip says its scale
    totals = []
    for strip, peak in zip(strips, peaks, strict=True):
        tops, _, base = strip.get_data()
        heights = base - np.asarray(tops)
        tallest = int(re.sub(r"\D", "", re.match(r"[\d,\u00a0\u202f]+", peak.get_text())[0]))
        totals.append(int(np.rint(heights / heights.max() * tallest).sum()))
    return totals
