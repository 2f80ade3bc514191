"""Method and limitations: how the data was made, how much of it is confirmed, this edition's
parameters."""

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from helpers.context import SOURCED_TABLES, ReportContext, analysed_source_ids, cited_sources
from helpers.csvscan import known_sha256
from helpers.freshness import record_checked
from helpers.i18n import format_date, format_span, label
from helpers.report.prose import join, plain, say
from helpers.report.section import Section
from helpers.report.words import names, section
from helpers.schema import PACKAGE_FILE, read_descriptor

ORDER = 80


def build(ctx: ReportContext) -> Section:
    lang, facts = ctx.lang, ctx.facts
    checked = pd.concat([facts[t]["verification"].astype(str) for t in SOURCED_TABLES])
    counts = checked.value_counts()
    counts_text = say(
        "method.counts",
        lang,
        rows=sum(len(table) for table in facts.values()),
        tables=len(facts),
        sources=len(cited_sources(facts)),
        confirmed=int(counts.get("confirmed", 0)),
        inferred=int(counts.get("inferred", 0)),
        unconfirmed=int(counts.get("unconfirmed", 0)),
        contradicted=int(counts.get("contradicted", 0)),
    )
    who = names(ctx)
    focus = (
        plain(join([who.get(a, a) for a in ctx.focus], lang))
        if ctx.focus
        else label("method.all_actors", lang)
    )
    parameters = say(
        "method.parameters",
        lang,
        language=label("method.language", lang),
        as_of=format_date(ctx.as_of, lang),
        record=label(
            "method.record_included" if ctx.include_public_record else "method.record_left_out",
            lang,
        ),
        focus=focus,
    )
    approach = say("method.approach", lang)
    scope = _scope(ctx)
    limits = say("method.limits", lang)
    paragraphs = (approach, limits, *([scope] if scope else []), counts_text, parameters)
    extra = {"citation": citation(ctx), "files": data_files(ctx.data_dir)}
    return section(ctx, "method", paragraphs=paragraphs, extra=extra)


PROJECT = "ai-war-report"  # the distribution whose version a citation names


def citation(ctx: ReportContext) -> str:
    """How to cite this edition, without an address: title, edition, data date, how far the
    public record was checked, and the project's version."""
    lang = ctx.lang
    checked = record_checked(ctx.data_dir)
    try:
        release = label("method.cite_version", lang, project=PROJECT, version=version(PROJECT))
    except PackageNotFoundError:  # run from a copy that was not installed
        release = ""
    return label(
        "method.citation",
        lang,
        title=label("page.title", lang),
        as_of=format_date(ctx.as_of, lang),
        record=label("method.cite_record", lang, date=format_date(checked, lang))
        if checked
        else "",
        version=release,
    ).strip()


def data_files(data_dir: Path) -> tuple[tuple[str, str], ...]:
    """The files of the fact base this edition read, as (path in the repository, sha256): the
    descriptor, every table it lists and every archived source."""
    descriptor = read_descriptor(data_dir)
    names = [PACKAGE_FILE, *(resource["path"] for resource in descriptor["resources"])]
    archived = sorted(path.name for path in (data_dir / "sources").glob("*.txt"))
    names += [f"sources/{name}" for name in archived]
    return tuple((f"data/{name}", _sha256(data_dir / name)) for name in names)


def _sha256(path: Path) -> str:
    """The file's sha256, as the build computed it moments ago when it still holds (see
    helpers.paths.KNOWN_SHA256), else read here."""
    return known_sha256(path) or hashlib.sha256(path.read_bytes()).hexdigest()


def _scope(ctx: ReportContext):
    """What the edition follows: its dated events and steps, from when to when, from how many
    sources, and how many statements of the analysed article."""
    lang, facts = ctx.lang, ctx.facts
    events, steps = facts["events"], facts["legal_actions"]
    dated = pd.concat([events["date"], steps["date"]]).dropna()
    if dated.empty:
        return ()
    first = events.loc[events["date"].idxmin()] if events["date"].notna().any() else None
    precision = (
        str(first["date_precision"])
        if first is not None and first["date"] == dated.min()
        else "day"
    )
    analysed = analysed_source_ids(facts["sources"])
    article = sum(
        int(facts[t]["source_id"].isin(analysed).sum())
        for t in ("events", "amounts", "positions", "relations")
    )
    return say(
        "method.scope",
        lang,
        events=int(events["date"].notna().sum()),
        steps=len(steps),
        span=format_span(dated.min().date(), precision, ctx.as_of, "day", lang),
        sources=len(cited_sources(facts)),
        article=article,
    )
