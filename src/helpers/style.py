"""The one house matplotlib style, used by every chart."""

import matplotlib.pyplot as plt

HOUSE_STYLE = "helpers.house"  # src/helpers/house.mplstyle, found by dotted name


def use_house_style() -> None:
    """Apply the house style to every figure drawn afterwards."""
    plt.style.use(HOUSE_STYLE)
