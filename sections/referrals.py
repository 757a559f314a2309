"""Prevent referral trends: the national series from 2015/16, with its breaks, and the region's figures."""

from __future__ import annotations

import pandas as pd

from data.formatting import format_value, lower_first
from data.loader import DataStore
from data.queries import ALL, Filters, ordered_periods, text_equals
from figures.chart import HALF, WIDE, Chart, build_chart
from figures.charts import trend_lines
from sections.base import Section, only, pick

EW = "England and Wales"
CHANNEL = ("Discussed at a Channel panel", "Adopted as a Channel case", "Received Channel support")


def _series_title(rows: pd.DataFrame, what: str) -> str:
    if rows["period"].duplicated().any():
        # More than one series: the headline is the whole count where there is one.
        whole = pick(rows, breakdown="All")
        if whole.empty or whole["period"].duplicated().any():
            return what
        rows = whole
    periods = ordered_periods(rows)
    v = rows.set_index("period")
    first, last = v.loc[periods[0]], v.loc[periods[-1]]
    high = rows.loc[rows["value"].idxmax()]
    if len(periods) == 1:
        return f"{what}: {format_value(first['value'], 'referrals', str(first['qualifier']))} in {periods[0]}"
    text = (
        f"{what} went from {format_value(first['value'], 'referrals', str(first['qualifier']))} in {periods[0]} "
        f"to {format_value(last['value'], 'referrals', str(last['qualifier']))} in {periods[-1]}"
    )
    if high["period"] == periods[-1] and len(periods) > 2 and str(last["series_break"]) != "yes":
        # Our comparison of the years shown; none across a change in how the figures are counted.
        text += ", the highest of the years shown"
    return text


def _summary(rows: pd.DataFrame, series: str) -> str:
    parts = []
    for name, sub in rows.groupby(rows[series].astype(str), sort=False):
        values = ", ".join(
            f"{p} {format_value(val, str(u), str(q))}"
            for p, val, u, q in zip(sub["period"], sub["value"], sub["unit"], sub["qualifier"], strict=True)
        )
        parts.append(f"{name}: {values}")
    return "; ".join(parts) + "."


def _break_caveats(breaks: pd.DataFrame):
    def caveats(rows: pd.DataFrame) -> list[str]:
        shown = set(rows["period"])
        return [
            f"{b['period']}: {b['value_text']}."
            for _, b in breaks.iterrows()
            if b["period"] in shown or pd.isna(b["period_start"])
        ] + list(dict.fromkeys(rows.loc[rows["series_break"] == "yes", "note"]))

    return caveats


def _top_title(rows: pd.DataFrame, what: str) -> str:
    """'In 2024/25, Education made the most referrals (3,129), then Police (2,631)'."""
    latest = ordered_periods(rows)[-1]
    now = rows[rows["period"] == latest].sort_values("value", ascending=False)
    first = now.iloc[0]
    text = f"In {latest}, {first['breakdown']} {what} ({format_value(first['value'], 'referrals', str(first['qualifier']))})"
    if len(now) > 1:
        second = now.iloc[1]
        text += f", then {second['breakdown']} ({format_value(second['value'], 'referrals', str(second['qualifier']))})"
    return text


def _channel_title(rows: pd.DataFrame) -> str:
    latest = ordered_periods(rows)[-1]
    now = rows[rows["period"] == latest]
    parts = [
        f"{format_value(row['value'], str(row['unit']), str(row['qualifier']))} {lower_first(m)}"
        for m in CHANNEL
        if (row := only(pick(now, measure=m))) is not None
    ]
    return f"In {latest}: " + "; ".join(parts) if parts else "Channel panels and cases"


def _region_title(rows: pd.DataFrame) -> str:
    """Which years have public West Midlands counts, and which only a rank."""
    counts = ordered_periods(rows[rows["unit"].astype(str) == "referrals"])
    ranks = ordered_periods(rows[rows["unit"].astype(str) == "rank"])
    text = (
        f"Public West Midlands counts were found for {', '.join(counts)} only"
        if counts
        else "No public West Midlands counts were found"
    )
    if ranks:
        text += f"; for {', '.join(ranks)}, only the region's rank"
    return text


def _breaks(breaks: pd.DataFrame, *words: str) -> pd.DataFrame:
    """The series-break rows whose name mentions any of ``words`` (case-insensitive)."""
    mask = pd.Series(False, index=breaks.index)
    for w in words:
        mask |= breaks["measure"].str.contains(w, case=False, regex=False)
    return breaks[mask]


def _series(frame: pd.DataFrame, measure: str | tuple[str, ...], force: str = EW) -> pd.DataFrame:
    measures = (measure,) if isinstance(measure, str) else measure
    rows = frame[frame["measure"].isin(measures) & text_equals(frame["force"], force)]
    return rows[rows["period_end"] - rows["period_start"] > pd.Timedelta(days=300)]


def charts(store: DataStore, filters: Filters) -> list[Chart]:
    """Every chart of this section under ``filters``, in reading order."""
    prevent = store.dataset("prevent_referrals")
    breaks = prevent[prevent["category"] == "Series breaks"]
    # The paper's own statement on referrals, chosen by what it is (not by its paragraph).
    paper_says = pick(store.dataset("ct_contest"), category="Prevent referrals")
    total = _series(prevent, "Referrals")
    # Every year of the national series on the axis, so a year with no public figure shows as a gap.
    axis = ordered_periods(total) if filters.period == ALL else None
    out = [
        build_chart(
            "ref-total",
            total,
            filters,
            title=lambda r: _series_title(r, "Referrals to Prevent in England and Wales"),
            summary=lambda r: (
                _summary(r, "measure") + " An open triangle marks a figure the source gives only as 'over'."
            ),
            figure=lambda r: trend_lines(
                r, series="measure", breaks=_breaks(breaks, "data source", "COVID"), periods=axis
            ),
            caveats=_break_caveats(_breaks(breaks, "data source", "COVID", "Revisions")),
            empty_title="Referrals to Prevent",
            width=WIDE,  # many periods and break notes: the whole width
            context=True,
        ),
        build_chart(
            "ref-sector",
            _series(prevent, "Referrals by referring sector"),
            filters,
            title=lambda r: _top_title(r, "made the most referrals"),
            summary=lambda r: _summary(r, "breakdown"),
            figure=lambda r: trend_lines(r, series="breakdown", breaks=_breaks(breaks, "data source"), periods=axis),
            caveats=["Not every sector is published every year; gaps are years with no public figure."],
            empty_title="Referrals by referring sector",
            width=WIDE,  # many series and break notes: the whole width
            context=True,
        ),
        build_chart(
            "ref-channel",
            _series(prevent, CHANNEL)[lambda r: r["breakdown"] == "All"],
            filters,
            title=_channel_title,
            summary=lambda r: _summary(r, "measure"),
            figure=lambda r: trend_lines(
                r, series="measure", breaks=_breaks(breaks, "Channel", "data source"), periods=axis
            ),
            caveats=_break_caveats(_breaks(breaks, "Channel")),
            empty_title="Channel panels and cases",
            width=WIDE,  # many series and break notes: the whole width
            context=True,
        ),
        build_chart(
            "ref-concern",
            _series(prevent, "Referrals by type of concern"),
            filters,
            title=lambda r: _top_title(r, "was the most common concern"),
            summary=lambda r: _summary(r, "breakdown"),
            figure=lambda r: trend_lines(
                r, series="breakdown", breaks=_breaks(breaks, "concern", "data source"), periods=axis
            ),
            caveats=_break_caveats(_breaks(breaks, "concern", "data source")),
            empty_title="Referrals by type of concern",
            width=WIDE,  # many series and break notes: the whole width
            context=True,
        ),
        build_chart(
            "ref-region",
            prevent[text_equals(prevent["force"], "West Midlands region")],
            filters,
            title=_region_title,
            summary="No other public counts were found for the region, or any for a single force.",
            facts=True,
            empty_title="The West Midlands region",
            width=HALF,
            context=True,
        ),
        build_chart(
            "ref-paper",
            paper_says,
            filters,
            title=lambda r: (
                f"What the paper says ({only(r)['period']}): {lower_first(only(r)['value_text'])}"
                if only(r) is not None
                else "What the paper says about referrals"
            ),
            summary=lambda r: " ".join(dict.fromkeys(n for n in r["note"] if n)) or "The board paper's own statement.",
            facts=True,
            empty_title="What the paper says",
            width=HALF,
        ),
    ]
    return out


SECTION = Section(
    slug="referral-trends",
    name="Referral trends",
    title="Prevent referral trends",
    intro="Prevent is the part of the CONTEST strategy that supports people at risk of being drawn into terrorism. "
    "These are the national figures, published each year by the Home Office, with the changes to how they "
    "are counted marked.",
    description="Referrals to Prevent in England and Wales since 2015/16, by sector, concern and Channel outcome.",
    datasets=("prevent_referrals", "ct_contest"),
    build=charts,
)
