"""What one edition of the report covers: the facts up to `as_of`, with or without the public
record, optionally focused on some actors. Pure selections over the DataFrames of `helpers.data`."""

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.data import load_fact_base, newest_date
from helpers.params import ReportParameters
from helpers.paths import DATA_DIR
from helpers.schema import date_fields, primary_keys

ANALYSED = "analysed document"
SOURCED_TABLES = ("events", "legal_actions", "amounts", "positions", "relations")


@dataclass(frozen=True)
class ReportContext:
    """The facts one report shows, and the settings it was made with."""

    lang: str
    as_of: dt.date
    include_public_record: bool
    focus: tuple[str, ...]
    facts: dict[str, pd.DataFrame]  # what the report shows
    record: dict[str, pd.DataFrame] = field(repr=False)  # everything up to as_of, for lookups
    data_dir: Path = DATA_DIR  # the fact base it was read from (the method section lists it)

    @functools.cached_property
    def _source_numbers(self) -> dict[str, int]:
        cited = cited_sources(self.facts).index
        return {source_id: n for n, source_id in enumerate(cited, start=1)}

    @functools.cached_property
    def source_languages(self) -> dict[str, str]:
        """The language of each source, by id."""
        sources = self.record["sources"]
        return dict(zip(sources["source_id"], sources["language"], strict=True))

    @functools.cached_property
    def rows(self) -> dict[str, pd.DataFrame]:
        """Every sourced table of the record indexed by its key, for 'table:id' references."""
        keys = primary_keys()
        return {name: self.record[name].set_index(keys[name]) for name in SOURCED_TABLES}

    def source_numbers(self) -> dict[str, int]:
        """Number of each source cited by the facts shown, in the order of the sources list."""
        return self._source_numbers


def analysed_source_ids(sources: pd.DataFrame) -> set[str]:
    """Ids of the analysed document(s)."""
    return set(sources.loc[sources["kind"] == ANALYSED, "source_id"])


def article_only(facts: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The facts stated by the analysed document alone, without the public record."""
    analysed = analysed_source_ids(facts["sources"])
    kept = {name: table for name, table in facts.items()}
    for name in SOURCED_TABLES:
        kept[name] = facts[name][facts[name]["source_id"].isin(analysed)]
    kept["cases"] = facts["cases"][facts["cases"]["case_id"].isin(kept["legal_actions"]["case_id"])]
    return _keep_conflicts(kept)


def _involves(actor_lists: pd.Series, focus: set[str]) -> pd.Series:
    # bool dtype even when empty: an empty object Series would select columns, not rows
    return actor_lists.map(lambda actors: bool(focus & set(actors))).astype(bool)


def focus_on(facts: dict[str, pd.DataFrame], focus: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """The facts that involve at least one of the `focus` actors."""
    wanted = set(focus)
    kept = dict(facts)
    kept["events"] = facts["events"][_involves(facts["events"]["actors"], wanted)]
    steps = facts["legal_actions"]
    # a case is followed when a followed actor is a party to any of its steps (no groupby: an
    # edition may have no step at all)
    focused_cases = {
        case
        for case, filed_by, against in zip(
            steps["case_id"], steps["filed_by"], steps["against"], strict=True
        )
        if wanted & {*filed_by, *against}
    }
    kept["legal_actions"] = steps[steps["case_id"].isin(focused_cases)]
    kept["cases"] = facts["cases"][facts["cases"]["case_id"].isin(focused_cases)]
    amounts = facts["amounts"]
    kept["amounts"] = amounts[amounts["from_actor"].isin(wanted) | amounts["to_actor"].isin(wanted)]
    positions = facts["positions"]
    kept["positions"] = positions[
        positions["actor_id"].isin(wanted) | positions["asserted_by"].isin(wanted)
    ]
    relations = facts["relations"]
    kept["relations"] = relations[
        relations["from_actor"].isin(wanted) | relations["to_actor"].isin(wanted)
    ]
    return _keep_conflicts(kept)


def _present(facts: dict[str, pd.DataFrame], versions: pd.Series) -> set[str]:
    """Which of the 'table:id' `versions` name a row among the facts shown."""
    keys = primary_keys()
    wanted: dict[str, set[str]] = {}
    for version in versions.dropna().unique():
        name, _, identifier = str(version).partition(":")
        wanted.setdefault(name, set()).add(identifier)
    present = set()
    for name in SOURCED_TABLES:
        identifiers = facts[name][keys[name]]
        found = identifiers[identifiers.isin(wanted.get(name, set()))]
        present |= {f"{name}:{identifier}" for identifier in found}
    return present


def _keep_conflicts(facts: dict[str, pd.DataFrame], both: bool = False) -> dict[str, pd.DataFrame]:
    """Conflicts whose first version (or, with `both`, each version) is among the facts shown."""
    conflicts = facts["conflicts"]
    present = _present(facts, pd.concat([conflicts["version_a"], conflicts["version_b"]]))
    kept = conflicts["version_a"].isin(present)
    if both:  # an empty second version (none recorded) does not hold a conflict back
        second = conflicts["version_b"].fillna("")
        kept &= second.eq("") | second.isin(present)
    return {**facts, "conflicts": conflicts[kept]}


def cited_sources(facts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The sources cited by the facts shown, oldest publication first, indexed by source_id."""
    used = set()
    for name in (*SOURCED_TABLES, "cases"):
        used |= set(facts[name]["source_id"].unique())  # not row by row: many rows, few sources
    sources = facts["sources"]
    chosen = sources[sources["source_id"].isin(used)]
    return chosen.sort_values(
        ["published", "source_id"], na_position="last", kind="stable"
    ).set_index("source_id")


def phases_with_dates(facts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The phases, each with the `start` date of the event or legal step that opens it."""
    dates = pd.concat(
        [
            facts["events"].set_index("event_id")["date"],
            facts["legal_actions"].set_index("action_id")["date"],
        ]
    )
    phases = facts["phases"].assign(start=lambda table: table["starts_with"].map(dates))
    return phases[phases["start"].notna()].sort_values("start")


def known_since(facts: dict[str, pd.DataFrame], data_dir: Path = DATA_DIR) -> pd.Series:
    """The earliest day a source can be known: its publication, or the newest date it mentions."""
    dates = [facts["sources"].set_index("source_id")["published"]]
    for name, date_field in date_fields(data_dir).items():
        dates.append(facts[name].groupby("source_id")[date_field].max())
    return pd.concat(dates, axis=1).max(axis=1)


def as_of_view(
    facts: dict[str, pd.DataFrame], as_of: dt.date, data_dir: Path = DATA_DIR
) -> dict[str, pd.DataFrame]:
    """The facts as they stood on `as_of`: rows dated up to it (or undated) whose source existed
    by then (a source exists from its publication, or from the newest date it mentions when that
    is later or its publication is unknown). Nothing dated after `as_of` is left, anywhere: no
    row, no disagreement whose versions were not both known, no source cited."""
    limit = pd.Timestamp(as_of)
    since = known_since(facts, data_dir)
    view = dict(facts)
    for name, date_field in date_fields(data_dir).items():
        table = facts[name]
        in_time = table[date_field].isna() | (table[date_field] <= limit)
        source_known = table["source_id"].map(since).fillna(limit) <= limit
        view[name] = table[in_time & source_known]
    view["positions"] = stances_held(view["positions"], as_of)
    cases = facts["cases"]  # a case stays (its steps say it exists) but a later source is not cited
    later = cases["source_id"].map(since).fillna(limit) > limit
    view["cases"] = cases.assign(source_id=cases["source_id"].where(~later, ""))
    return _keep_conflicts(view, both=True)


def stances_held(positions: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """`positions` with `held`: whether each stance still held on `as_of` (it had begun, and no
    `valid_until` before that day ended it). Earlier stances stay, for the story of a change."""
    day = pd.Timestamp(as_of)
    begun = positions["valid_from"].isna() | (positions["valid_from"] <= day)
    ongoing = positions["valid_until"].isna() | (positions["valid_until"] >= day)
    return positions.assign(held=begun & ongoing)


def prepare_report(
    params: ReportParameters,
    data_dir: Path = DATA_DIR,
    everything: dict[str, pd.DataFrame] | None = None,
) -> ReportContext:
    """Select the facts of one report edition from `everything` (loaded from `data_dir` when
    not given: many editions of one fact base can share one load)."""
    everything = everything if everything is not None else load_fact_base(None, data_dir)
    as_of = params.as_of if params.as_of is not None else newest_date(everything, data_dir)
    record = as_of_view(everything, as_of, data_dir)
    facts = record if params.include_public_record else article_only(record)
    if params.focus:
        facts = focus_on(facts, params.focus)
    return ReportContext(
        lang=params.lang,
        as_of=as_of,
        include_public_record=params.include_public_record,
        focus=params.focus,
        facts=facts,
        record=record,
        data_dir=data_dir,
    )
