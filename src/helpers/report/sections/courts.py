"""In court: the cases in prose, a lane chart of every step, and the numbered table of steps."""

import pandas as pd

from helpers.charts import legal_figure_height, number_steps, numbers_fit, plot_legal_timeline
from helpers.context import ReportContext
from helpers.i18n import code_label, label
from helpers.report.prose import cite, say
from helpers.report.section import FigureSpec, Section
from helpers.report.words import FIGURE_WIDTH, day, no_data, section, sources_note, when

ORDER = 40
MAX_STEP_ROWS = 60  # rows of the steps table when the chart is too dense to number its steps
RULINGS = ("ruling", "verdict", "regulator decision")


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
    lanes = steps["case_id"].nunique()
    fit = numbers_fit(steps)
    chart = FigureSpec(
        draw=lambda ax: plot_legal_timeline(ax, steps, facts["cases"], lang),
        size=(FIGURE_WIDTH, legal_figure_height(steps)),
        caption=label(
            "courts.caption" if fit else "courts.caption_dense", lang, steps=len(steps), cases=lanes
        ),
        alt=label(
            "courts.alt",
            lang,
            cases=lanes,
            start=day(steps["date"].min(), lang),
            end=day(steps["date"].max(), lang),
            steps=len(steps),
            rulings=int(steps["step"].isin(RULINGS).sum()),
        ),
        note=sources_note(ctx, steps["source_id"]),
    )
    shown = steps if fit or len(steps) <= MAX_STEP_ROWS else steps.tail(MAX_STEP_ROWS)
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
