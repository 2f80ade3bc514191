"""In court: the cases in prose, a chart of every step (lawsuits in lanes, regulatory reviews in a
band apart, key steps labelled) and the numbered table of steps, in the same true order."""

import pandas as pd

from helpers.charts import (
    DECISIONS,
    NARROW_WIDTH,
    join_names,
    legal_figure_height,
    legal_scope,
    legal_title,
    number_steps,
    plot_legal_timeline,
    regulatory_cases,
)
from helpers.context import ReportContext
from helpers.density import crowded
from helpers.i18n import code_label, format_number, format_span, label
from helpers.report.prose import cite, say
from helpers.report.section import FigureSpec, Section
from helpers.report.words import FIGURE_WIDTH, day, no_data, section, sources_note, when

ORDER = 40
MAX_STEP_ROWS = 60  # rows of the steps table: the most recent, when there are more
DENSE_STEPS = 120  # past this the chart labels only its key steps among a crowd of marks


def step_table(ctx: ReportContext, steps: pd.DataFrame) -> pd.DataFrame:
    """The key of the legal chart, one row per step, in the edition's language."""
    lang = ctx.lang
    cases = ctx.facts["cases"].set_index("case_id")
    return pd.DataFrame(
        {
            "number": steps["number"].to_numpy(),
            "date": [
                when(date, str(precision), lang)
                for date, precision in zip(steps["date"], steps["date_precision"], strict=True)
            ],
            "case": [cases.loc[case, f"name_{lang}"] for case in steps["case_id"]],
            "step": [code_label("step", str(step), lang) for step in steps["step"]],
            "what": steps[f"summary_{lang}"].to_numpy(),
            "source": [cite(ctx, source) for source in steps["source_id"]],
        }
    )


def build(ctx: ReportContext) -> Section:
    lang, facts = ctx.lang, ctx.facts
    steps = facts["legal_actions"]
    if steps.empty:
        return no_data(ctx, "courts")
    steps = number_steps(steps)
    cases = facts["cases"].set_index("case_id")
    paragraphs = [
        say(
            "courts.overview",
            lang,
            steps=len(steps),
            cases=steps["case_id"].nunique(),
            last=day(steps["date"].max(), lang),
        )
    ]
    items = tuple(
        say(
            "courts.case",
            lang,
            case=cases.loc[case_id, f"name_{lang}"],
            steps=len(case_steps),
            first=day(case_steps["date"].min(), lang),
            last=day(case_steps["date"].max(), lang),
        )
        for case_id, case_steps in steps.groupby("case_id", sort=False)
    )
    reviews = len(regulatory_cases(steps))
    lawsuits = steps["case_id"].nunique() - reviews
    span = format_span(steps["date"].min().date(), "day", steps["date"].max().date(), "day", lang)
    counts = {
        "what": legal_scope(lawsuits, reviews, lang),
        "span": span,
        "steps": len(steps),
    }
    dense = len(steps) > DENSE_STEPS
    caption = label("courts.caption_dense" if dense else "courts.caption", lang, **counts)
    strips = crowded(steps["case_id"])  # lanes drawn as monthly counts
    if strips:
        caption += " " + label(
            "courts.caption_strip",
            lang,
            cases=join_names([str(cases.loc[case, f"name_{lang}"]) for case in strips], lang),
            count=format_number(int(steps["case_id"].isin(strips).sum()), lang),
        )
    case_table = facts["cases"]  # the chart keeps this table alone, not every fact table
    chart = FigureSpec(
        draw=lambda ax: plot_legal_timeline(ax, steps, case_table, lang),
        size=(FIGURE_WIDTH, legal_figure_height(steps)),
        narrow_draw=lambda ax: plot_legal_timeline(ax, steps, case_table, lang, narrow=True),
        narrow_size=(NARROW_WIDTH, legal_figure_height(steps, narrow=True)),
        caption=caption,
        alt=label(
            "courts.alt",
            lang,
            **counts,
            rulings=int(steps["step"].isin(DECISIONS).sum()),
            finding=legal_title(steps, facts["cases"], lang),
        ),
        note=sources_note(ctx, steps["source_id"]),
    )
    shown = steps if len(steps) <= MAX_STEP_ROWS else steps.tail(MAX_STEP_ROWS)
    table_note = (
        ()
        if len(shown) == len(steps)
        else say("courts.table_cut", lang, shown=MAX_STEP_ROWS, total=len(steps))
    )
    return section(
        ctx,
        "courts",
        paragraphs=tuple(paragraphs),
        items=items,
        chart=chart,
        table=step_table(ctx, shown),
        extra={"table_note": table_note},
    )
