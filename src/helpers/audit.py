"""`ai-war audit`: how well the fact base is sourced, as counts that name the rows they count.

What it reports: facts by verification level; claims that rest on one source; rows whose quote
and note do not show the figure or the day the row states; sources without a date; conflicts by
assessment. The last-but-one three are things to fix: `--strict` exits 1 while any remains.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.data import load_fact_base
from helpers.i18n import MONTHS
from helpers.paths import DATA_DIR
from helpers.schema import primary_keys

SOURCED = ("events", "legal_actions", "amounts", "positions", "relations")
VAGUE = ("several",)  # "several billion" has no figure to find in the words
UNKNOWN_DATE = "date unknown"  # what a source's note says when no date could be found
ABBREVIATIONS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class Line:
    """One line of the audit: what it counts, the rows, and whether they are to be fixed."""

    title: str
    rows: tuple[str, ...]
    to_fix: bool = False

    def __str__(self) -> str:
        listed = f": {', '.join(self.rows)}" if self.rows else ""
        return f"{self.title}: {len(self.rows)}{listed}"


def _ids(facts: dict[str, pd.DataFrame], name: str, mask: pd.Series) -> list[str]:
    return [f"{name}:{i}" for i in facts[name].loc[mask, primary_keys()[name]]]


def _text(row: pd.Series) -> str:
    return f"{row.get('quote', '')} {row.get('note', '')}".lower().replace("\u00a0", " ")


def _figures(value: float) -> set[str]:
    """How a figure may be written in a quote: 6.6 / 6,6 (billion), 44 (million), 6,600,000,000."""
    forms = {f"{value:,.0f}", f"{value:.0f}", f"{value:,.0f}".replace(",", " ")}
    for size in (1e12, 1e9, 1e6):
        if value >= size:
            mantissa = f"{value / size:.3f}".rstrip("0").rstrip(".")
            forms |= {mantissa, mantissa.replace(".", ",")}
            if size == 1e12:  # French writes a trillion as thousands of billions
                forms.add(f"{value / 1e9:,.0f}".replace(",", " "))
    return forms


def states_figure(row: pd.Series) -> bool:
    """Whether the quote or note of an amount shows its figure (a vague one needs none)."""
    if row["qualifier"] in VAGUE:
        return True
    text = _text(row)
    return any(
        re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d])", text)
        for form in _figures(row["low_usd"])
    )


def states_date(row: pd.Series, field: str = "date") -> bool:
    """Whether the quote or note shows the row's date at its precision, or how it was inferred."""
    date, precision = row[field], str(row.get(f"{field}_precision", "day"))
    if pd.isna(date) or precision == "unknown":
        return True
    text = _text(row)
    months = {*(m.lower() for lang in MONTHS.values() for m in lang), *ABBREVIATIONS}
    month_words = [
        word
        for word in months
        if word[:3] == MONTHS["en"][date.month - 1][:3].lower()
        or word in (MONTHS["fr"][date.month - 1], MONTHS["en"][date.month - 1].lower())
    ]
    year = str(date.year)
    if precision == "year":
        return year in text
    month_named = any(word in text for word in month_words)
    iso = date.strftime("%Y-%m") if precision == "month" else date.strftime("%Y-%m-%d")
    if iso in text or date.strftime("%m/%d/%Y") in text:
        return True
    if precision == "month":
        return month_named
    day = str(date.day)
    near = rf"(?<!\d){day}(?:st|nd|rd|th|er)?(?!\d)"
    return month_named and re.search(near, text) is not None


def audit(data_dir: Path = DATA_DIR) -> list[Line]:
    """The lines of the audit of the fact base in `data_dir`."""
    facts = load_fact_base(None, data_dir)
    lines = []
    levels = pd.concat([facts[name]["verification"].astype(str) for name in SOURCED]).unique()
    for level in sorted(levels):
        rows = [
            row_id
            for name in SOURCED
            for row_id in _ids(facts, name, facts[name]["verification"] == level)
        ]
        lines.append(Line(f"facts {level}", tuple(rows)))
    lines.append(Line("claims resting on one source", tuple(_single_source_claims(facts))))
    lacking = []
    for name in ("events", "legal_actions", "amounts", "positions"):
        table = facts[name]
        for _, row in table.iterrows():
            key = row[primary_keys()[name]]
            if name == "amounts" and not states_figure(row):
                lacking.append(f"amounts:{key} (figure)")
            if row.get("verification") == "confirmed" and not states_date(row):
                lacking.append(f"{name}:{key} (date)")
    lines.append(Line("rows whose quote and note lack their figure or date", tuple(lacking), True))
    sources = facts["sources"]
    explained = sources["note"].str.contains(UNKNOWN_DATE, case=False, regex=False)
    undated = sources["published"].isna()
    lines.append(
        Line("sources without a date", tuple(_ids(facts, "sources", undated & ~explained)), True)
    )
    lines.append(
        Line(
            "sources whose date is unknown, as their note says",
            tuple(_ids(facts, "sources", undated & explained)),
        )
    )
    for assessment, group in facts["conflicts"].groupby("assessment", observed=True):
        ids = tuple(f"conflicts:{i}" for i in group["conflict_id"])
        lines.append(Line(f"conflicts assessed '{assessment}'", ids))
    return lines


def _single_source_claims(facts: dict[str, pd.DataFrame]) -> list[str]:
    """Claims no row of another source backs: neither referring to one nor referred to by one."""
    keys = primary_keys()
    source_of = {
        row_id: source
        for name in SOURCED
        for row_id, source in zip(facts[name][keys[name]], facts[name]["source_id"], strict=True)
    }
    backed = set()
    for name in ("events", "amounts"):
        for row_id, target, source in zip(
            facts[name][keys[name]], facts[name]["refers_to"], facts[name]["source_id"], strict=True
        ):
            if isinstance(target, str) and target and source_of.get(target) != source:
                backed |= {row_id, target}
    claims = []
    for name in ("events", "amounts"):
        table = facts[name]
        is_claim = table["assertion"] == "claim"
        claims += [f"{name}:{i}" for i in table.loc[is_claim, keys[name]] if i not in backed]
    return claims


def main(argv: list[str] | None = None, data_dir: Path = DATA_DIR) -> int:
    """Print the audit; with `--strict`, exit 1 while a line to fix has rows."""
    lines = audit(data_dir)
    for line in lines:
        print(("TO FIX " if line.to_fix and line.rows else "") + str(line))
    strict = "--strict" in (argv or [])
    return 1 if strict and any(line.to_fix and line.rows for line in lines) else 0
