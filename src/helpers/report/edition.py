"""One edition of the report: checked parameters, the facts it shows, and its sections in order.

In the notebook, `open_edition(lang=..., ...)` is the one call that checks the parameters and loads
the facts; `edition.section("money")` is a section to look at or explore, and `edition.page()` is
the whole report, which `ai-war build` publishes.
"""

import dataclasses
import datetime as dt
import functools
from pathlib import Path

from helpers.context import ReportContext, prepare_report
from helpers.data import actor_ids
from helpers.freshness import record_checked
from helpers.i18n import format_date, label
from helpers.params import ReportParameters, check_parameters
from helpers.paths import DATA_DIR
from helpers.report.render import render_header, render_page
from helpers.report.section import Section
from helpers.report.sections import section_modules

# The notebook output that holds the published page; nbconvert's `report` template looks for it.
PAGE_MIMETYPE = "application/vnd.ai-war.report+html"


@dataclasses.dataclass(frozen=True)
class Page:
    """The whole report as HTML; a notebook shows a one-line summary of it instead."""

    html: str
    summary: str

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/plain": self.summary, PAGE_MIMETYPE: self.html}


class Edition:
    """The facts of one edition and its sections, numbered in report order."""

    def __init__(self, params: ReportParameters, data_dir: Path = DATA_DIR) -> None:
        self.params = params
        self.record_checked = record_checked(data_dir)  # how far the public record was searched
        self.context: ReportContext = prepare_report(params, data_dir)
        self.lang: str = self.context.lang
        self.as_of: dt.date = self.context.as_of  # the newest fact's date when as_of was empty

    @property
    def title(self) -> str:
        return label("page.title", self.lang)

    @property
    def data_as_of(self) -> str:
        """'Data as of June 15, 2026' in the edition's language."""
        return label("page.data_as_of", self.lang, date=format_date(self.as_of, self.lang))

    @property
    def record_line(self) -> str:
        """'Public record checked up to November 28, 2026', or '' when the data does not say."""
        if self.record_checked is None:
            return ""
        date = format_date(self.record_checked, self.lang)
        return label("page.record_checked", self.lang, date=date)

    def scope_lines(self) -> list[str]:
        """What this edition leaves out, in words: the public record, actors not followed."""
        lines = []
        if not self.context.include_public_record:
            lines.append(label("page.scope_article_only", self.lang))
        if self.context.focus:
            from helpers.report.prose import join, plain
            from helpers.report.words import names

            who = names(self.context)
            followed = plain(join([who.get(a, a) for a in self.context.focus], self.lang))
            lines.append(label("page.scope_focus", self.lang, actors=followed))
        return lines

    @functools.cached_property
    def _modules(self) -> list:
        return section_modules()

    @functools.cached_property
    def _kept(self) -> dict[int, Section]:
        return {}

    def _built(self, place: int) -> Section:
        """The section at `place` in report order, built once; a chart is numbered after the
        charts of the sections before it (which are built for that, and only for that)."""
        if place not in self._kept:
            section = self._modules[place].build(self.context)
            if section.chart is not None:
                before = sum(1 for p in range(place) if self._built(p).chart is not None)
                section = dataclasses.replace(section, number=before + 1)
            self._kept[place] = section
        return self._kept[place]

    @functools.cached_property
    def sections(self) -> tuple[Section, ...]:
        """Every section, in report order; figures are numbered in that order."""
        return tuple(self._built(place) for place in range(len(self._modules)))

    def section(self, key: str) -> Section:
        """The section `key` ('summary', 'money', ...): built alone when it has no chart, else
        with the sections before it (its figure number counts theirs)."""
        for place, module in enumerate(self._modules):
            if module.__name__.rsplit(".", 1)[1] == key and self._built(place).key == key:
                return self._built(place)
        for section in self.sections:
            if section.key == key:
                return section
        known = ", ".join(section.key for section in self.sections)
        raise KeyError(f"no section {key!r}: the report has {known}")

    def page(self) -> Page:
        """The whole report, as `ai-war build` publishes it."""
        figures = sum(1 for s in self.sections if s.chart is not None)
        summary = (
            f"{self.title} ({self.lang}, data as of {self.as_of.isoformat()}): "
            f"{len(self.sections)} sections, {figures} figures. "
            "Publish it with `ai-war build`."
        )
        return Page(render_page(self, self.sections), summary)

    def _repr_html_(self) -> str:
        return render_header(self)

    def __repr__(self) -> str:  # no memory address: an executed notebook is reproducible
        return f"Edition({self.params!r})"


def open_edition(data_dir: Path = DATA_DIR, **parameters: object) -> Edition:
    """The edition for `parameters` (lang, as_of, include_public_record, focus), checked first.

    Raises ParameterError naming the parameter when one cannot be used.
    """
    params = check_parameters(known_actors=actor_ids(data_dir), **parameters)
    return Edition(params, data_dir)
