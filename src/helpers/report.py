"""What the notebook shows the reader, built from the data in the report's language."""

import datetime as dt
import html

import pandas as pd

from helpers.i18n import format_date, label
from helpers.style import use_house_style


def start_report(lang: str) -> None:
    """Prepare a kernel to draw the report's figures in the house style."""
    use_house_style()


def article_events(events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The events that the analysed document states, leaving out the public record."""
    analysed = sources.index[sources["kind"] == "analysed document"]
    return events[events["source_id"].isin(analysed)]


def effective_as_of(as_of: dt.date | None, newest: dt.date) -> dt.date:
    """The date the report is written as of: `as_of` if given, else the newest fact's date."""
    return as_of if as_of is not None else newest


def events_summary(events: pd.DataFrame, as_of: dt.date, lang: str) -> str:
    """One Markdown sentence counting the dated events up to `as_of`."""
    return label("events_counted", lang, count=len(events), date=format_date(as_of, lang))


def source_note(source_ids: pd.Series, sources: pd.DataFrame, lang: str) -> str:
    """Markdown line naming the publisher and title of every source used, escaped for HTML."""
    used = sources.loc[sorted(set(source_ids))]
    cited = "; ".join(
        f"{html.escape(row.publisher)}, « {html.escape(row.title)} »"
        if lang == "fr"
        else f"{html.escape(row.publisher)}, “{html.escape(row.title)}”"
        for row in used.itertuples()
    )
    return "<small>" + label("source_note", lang, source=cited) + "</small>"


def as_of_note(as_of: dt.date, lang: str) -> str:
    """Markdown line stating the date the data runs to."""
    return "*" + label("data_as_of", lang, date=format_date(as_of, lang)) + "*"
