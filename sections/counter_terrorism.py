"""Counter terrorism: the threat picture and the four CONTEST strands, with national context."""

from __future__ import annotations

import pandas as pd

from data.formatting import format_value, lower_first
from data.loader import DataStore
from data.queries import Filters, ordered_periods, text_equals
from figures.chart import HALF, Chart, build_chart
from figures.charts import category_bars, distinct_labels, period_bars, trend_lines
from sections.base import Section, latest_rows, latest_statements, only, pick


def _day(value) -> str:
    return value.strftime("%-d %B %Y") if pd.notna(value) else ""


def _threat_title(rows: pd.DataFrame) -> str:
    level = only(latest_rows(pick(rows, measure="UK terrorism threat level")))
    if level is None:
        return "The threat by ideology"
    since = f" from {_day(level['period_start'])}" if pd.notna(level["period_start"]) else ""
    return f"The UK terrorism threat level was {level['value_text']}{since}"


def _values(rows: pd.DataFrame) -> list[str]:
    """Each row's figure in words, '(worked out)' where the dashboard computed it."""
    return [
        format_value(v, str(u), str(q), t) + (" (worked out)" if d == "yes" else "")
        for v, u, q, t, d in zip(
            rows["value"], rows["unit"], rows["qualifier"], rows["value_text"], rows["derived"], strict=True
        )
    ]


def _pursue_title(rows: pd.DataFrame) -> str:
    """'1 Apr 2020 to 5 Dec 2020: 25 arrests, 9 convictions and 8 recalls to prison' (the latest period)."""
    latest = latest_rows(rows)
    parts = [
        f"{value} {lower_first(name)}"
        for name, value in zip(distinct_labels(latest, "measure"), _values(latest), strict=True)
    ]
    if not parts:
        return "Pursue results"
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Pursue, {latest['period'].iloc[0]}: {listed}"


def _pursue_figure(rows: pd.DataFrame):
    if rows["period"].nunique() > 1:
        return period_bars(rows, category="measure", horizontal=True)
    return category_bars(rows, label="measure")


def _gb_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Calendar-year arrest counts only, so the points are comparable."""
    arrests = pick(rows, measure="Terrorism-related arrests")
    return arrests[arrests["period"].astype(str).str.fullmatch(r"\d{4}")]


def _gb_title(rows: pd.DataFrame) -> str:
    """From the first to the last figure read from a source: a worked-out figure never starts a headline."""
    read = rows[rows["derived"] != "yes"]
    if read.empty:
        return "Terrorism-related arrests in Great Britain"
    periods = ordered_periods(read)
    first = only(read[read["period"] == periods[0]])
    last = only(read[read["period"] == periods[-1]])
    if first is None or last is None:
        return "Terrorism-related arrests in Great Britain"
    if len(periods) == 1:
        return f"{format_value(first['value'], 'arrests', first['qualifier'])} terrorism-related arrests in Great Britain in {periods[0]}"
    verb = "fell" if last["value"] < first["value"] else "rose" if last["value"] > first["value"] else "stayed level"
    return (
        f"Terrorism-related arrests in Great Britain {verb} from {format_value(first['value'], 'arrests', 'exact')} "
        f"in {periods[0]} to {format_value(last['value'], 'arrests', last['qualifier'])} in {periods[-1]}"
    )


def _prevent_title(rows: pd.DataFrame) -> str:
    """'Prevent: over 350 Prevent ambassadors; 27 Targeted Initiative Fund applications supported'."""
    headline = ("Prevent ambassadors", "Targeted Initiative Fund applications supported")
    parts = [
        f"{format_value(v, str(u), str(q))} {lower_first(m)}"
        for m, v, u, q in zip(rows["measure"], rows["value"], rows["unit"], rows["qualifier"], strict=True)
        if v == v and m in headline
    ]
    return "Prevent: " + "; ".join(parts) if parts else "Prevent: standards, people and funding"


def _plans_title(rows: pd.DataFrame) -> str:
    latest = latest_rows(rows)
    done, total = only(pick(latest, breakdown="Reviewed and updated")), only(pick(latest, breakdown="Total"))
    if done is None or total is None:
        return "Major incident plan reviews"
    under = only(pick(latest, breakdown="Under national review"))
    extra = (
        f"; {format_value(under['value'], 'plans', under['qualifier'])} more under national review"
        if under is not None
        else ""
    )
    return (
        f"{latest['period'].iloc[0]}: {format_value(done['value'], 'plans', done['qualifier'])} of "
        f"{format_value(total['value'], 'plans', total['qualifier'])} local counter terrorism plans reviewed and updated{extra}"
    )


def _borders_title(rows: pd.DataFrame) -> str:
    latest = latest_rows(rows)
    traffic, fraud = (
        only(pick(latest, measure="Passenger traffic")),
        only(pick(latest, measure="Travel document fraud offences")),
    )
    if traffic is None or fraud is None:
        return "Borders"
    return (
        f"Passenger traffic fell to {format_value(traffic['value'], str(traffic['unit']), traffic['qualifier'])} of "
        f"the year before, but travel document fraud offences stayed at {format_value(fraud['value'], str(fraud['unit']), fraud['qualifier'])}"
    )


def charts(store: DataStore, filters: Filters) -> list[Chart]:
    """Every chart of this section under ``filters``, in reading order."""
    contest = store.dataset("ct_contest")
    return [
        build_chart(
            "ct-threat",
            latest_statements(store.dataset("ct_threat")),
            filters,
            title=_threat_title,
            summary="How the paper rates the threat from each ideology.",
            facts=True,
            caveats=lambda r: [n for n in pick(r, measure="UK terrorism threat level")["note"] if n],
            empty_title="The threat picture",
            width=HALF,
        ),
        build_chart(
            "ct-pursue",
            pick(contest, category="Pursue results"),
            filters,
            title=_pursue_title,
            summary=lambda r: " ".join(
                f"{p}: "
                + ", ".join(f"{value} {lower_first(str(m))}" for m, value in zip(g["measure"], _values(g), strict=True))
                + "."
                for p, g in r.groupby("period", sort=False)
            ),
            figure=_pursue_figure,
            caveats=lambda r: list(dict.fromkeys(n for n in r["note"] if n)),
            empty_title="Pursue results",
            width=HALF,
        ),
        build_chart(
            "ct-accreditation",
            latest_statements(pick(contest, category="Pursue accreditation")),
            filters,
            title="Forensic standards: accreditation kept and sought",
            summary="The counter terrorism unit's accreditation for gathering evidence, as the paper reports it.",
            facts=True,
            empty_title="Forensic accreditation",
            width=HALF,
        ),
        build_chart(
            "ct-gb-arrests",
            _gb_rows(store.dataset("terrorism_arrests_gb")),
            filters,
            title=_gb_title,
            summary=lambda r: (
                "For context, from Home Office and Counter Terrorism Policing releases: "
                + "; ".join(
                    f"{p} {format_value(v, 'arrests', q)}{' (worked out)' if d == 'yes' else ''}"
                    for p, v, q, d in zip(r["period"], r["value"], r["qualifier"], r["derived"], strict=True)
                )
                + "."
            ),
            figure=lambda r: trend_lines(r, series="measure"),
            empty_title="Terrorism-related arrests in Great Britain",
            width=HALF,
            context=True,
        ),
        build_chart(
            "ct-prevent",
            latest_statements(contest[text_equals(contest["strand"], "Prevent")]),
            filters,
            title=_prevent_title,
            summary="Standards, people and funding for Prevent in the region.",
            facts=True,
            empty_title="Prevent",
            width=HALF,
        ),
        build_chart(
            "ct-protect",
            latest_statements(contest[text_equals(contest["strand"], "Protect")]),
            filters,
            title="Protect: what the paper says",
            summary=lambda r: (
                "The paper gives no figures for Protect; these are its statements."
                if r["value"].isna().all()
                else "Protect figures and statements from the paper."
            ),
            facts=True,
            empty_title="Protect",
            width=HALF,
        ),
        build_chart(
            "ct-prepare",
            pick(contest, category="Plan reviews"),
            filters,
            title=_plans_title,
            summary=lambda r: (
                "; ".join(f"{b}: {value}" for b, value in zip(r["breakdown"], _values(r), strict=True)) + "."
            ),
            figure=lambda r: category_bars(latest_rows(r)[latest_rows(r)["breakdown"] != "Total"]),
            empty_title="Prepare: major incident plan reviews",
            width=HALF,
        ),
        build_chart(
            "ct-borders",
            pick(contest, category="Borders"),
            filters,
            title=_borders_title,
            summary=lambda r: " ".join(
                f"{p}: " + "; ".join(f"{m} {value}" for m, value in zip(g["measure"], _values(g), strict=True)) + "."
                for p, g in r.groupby("period", sort=False)
            ),
            figure=lambda r: category_bars(r, label="measure"),
            caveats=lambda r: list(dict.fromkeys(n for n in r["note"] if n)),
            empty_title="Borders",
            width=HALF,
        ),
    ]


SECTION = Section(
    slug="counter-terrorism",
    name="Counter terrorism",
    title="Counter terrorism",
    intro="The terrorism threat to the region and what Counter Terrorism Policing West Midlands did under the four "
    "strands of the national CONTEST strategy: Pursue, Prevent, Protect and Prepare.",
    description="The terrorism threat picture and the region's results in Pursue, Prevent, Protect and Prepare.",
    datasets=("ct_threat", "ct_contest", "terrorism_arrests_gb"),
    build=charts,
)
