"""Serious and organised crime: the regional unit's year-on-year outcomes, disruptions, teams and budget."""

from __future__ import annotations

import pandas as pd

from data.formatting import format_value
from data.loader import DataStore
from data.queries import Filters, compare_latest, describe_change, ordered_periods, percent_text
from figures.chart import Chart, build_chart
from figures.charts import category_bars, label_room, period_bars

SLUG = "organised-crime"
NAME = "Organised crime"
TITLE = "Serious and organised crime"
INTRO = (
    "What the West Midlands Regional Organised Crime Unit (ROCUWM) achieved in its latest 12 months "
    "compared with the year before, how its teams are loaded, and how it is funded."
)
DESCRIPTION = "The regional organised crime unit's outcomes year on year, its teams and its budget."
DATASETS = ("rocu_outcomes", "rocu_disruptions", "rocu_explanations", "rocu_capabilities", "rocu_funding")
JUSTICE = ("Arrested", "Charged", "Convicted")
#: The table's measure names as the subject of a sentence ("People arrested fell 27%").
PLAIN_LABELS = {
    "Arrested": "People arrested",
    "Charged": "People charged",
    "Convicted": "People convicted",
    "Safeguarded": "People safeguarded",
}
NOW = "At the paper's date"
YEAR_EARLIER = "Same point a year earlier"
DRUGS = ("Cocaine seized", "Heroin seized", "Other Class A seized", "Other Class B seized")


def compare_title(rows: pd.DataFrame, measures: tuple[str, ...] | None = None) -> str:
    """The finding of a period comparison: the largest change, and how the rest moved.

    Measures in one chart share a unit, so "largest" is the biggest rise or fall in that unit.
    """
    table = rows[rows["source"] != "para 89"]
    measures = measures or tuple(dict.fromkeys(table["measure"]))
    changes = [
        compare_latest(table[table["measure"] == m], label=PLAIN_LABELS.get(m, m))
        for m in measures
        if m in set(table["measure"])
    ]
    if not changes:
        return ""
    with_pct = [c for c in changes if c.percent is not None]
    # Lead with the largest change in the chart's own unit (the most kg, the most people).
    lead = max(with_pct, key=lambda c: abs(c.after - c.before)) if with_pct else changes[0]
    title = describe_change(lead)
    others = [c for c in changes if c is not lead and c.direction in ("up", "down")]
    if others and all(c.direction == lead.direction for c in others):
        title += "; the others " + ("rose too" if lead.direction == "up" else "fell too")
    return title


def compare_summary(rows: pd.DataFrame) -> str:
    table = rows[rows["source"] != "para 89"]
    periods = ordered_periods(table)
    if len(periods) < 2:
        return f"Figures for {periods[0]}." if periods else ""
    parts = []
    for m in dict.fromkeys(table["measure"]):
        c = compare_latest(table[table["measure"] == m], label=PLAIN_LABELS.get(m, m))
        pct = percent_text(c)
        parts.append(
            f"{c.label}: {format_value(c.before, c.unit, 'exact')} then {format_value(c.after, c.unit, c.qualifier)}"
            + (f" ({pct})" if pct else "")
        )
    return f"{periods[-2]} compared with {periods[-1]}. " + "; ".join(parts) + "."


def _break_caveats(rows: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(rows.loc[rows["series_break"] == "yes", "note"]))


def _disruptions_title(rows: pd.DataFrame) -> str:
    latest = ordered_periods(rows)[-1]
    now = rows[rows["period"] == latest].sort_values("value", ascending=False)
    top = now.iloc[0]
    if len(now) == 1:
        return f"{top['strand']}: {format_value(top['value'], 'disruptions', top['qualifier'])} disruptions in {latest}"
    return f"{top['strand']} is the largest strand: {format_value(top['value'], 'disruptions', top['qualifier'])} disruptions in {latest}"


def _disruptions_summary(rows: pd.DataFrame) -> str:
    parts = []
    for period in ordered_periods(rows):
        sub = rows[rows["period"] == period]
        parts.append(
            period
            + ": "
            + ", ".join(
                f"{s} {format_value(v, 'disruptions', 'exact')}"
                for s, v in zip(sub["strand"], sub["value"], strict=True)
            )
        )
    text = ". ".join(parts) + "."
    if (rows["series_break"] == "yes").any():
        text += " No change is given: support disruptions were recorded differently in the later year."
    return text


def _lead_support_title(rows: pd.DataFrame) -> str:
    counts = rows[rows["measure"] == "SOC disruptions"].set_index("breakdown")["value"]
    changes = rows[rows["measure"] == "Change on previous 12 months"].set_index("breakdown")["value"]
    parts = []
    if "ROCUWM lead" in counts:
        lead = f"Lead disruptions: {format_value(counts['ROCUWM lead'], 'disruptions', 'exact')}"
        if "ROCUWM lead" in changes:
            lead = f"Lead disruptions rose {changes['ROCUWM lead']:g}% to {format_value(counts['ROCUWM lead'], 'disruptions', 'exact')}"
        parts.append(lead)
    if "ROCUWM support" in counts:
        parts.append("support fell, but because recording changed")
    return "; ".join(parts) if parts else "Lead and support disruptions"


def _lead_support_figure(rows: pd.DataFrame):
    """Counts as bars, the paper's stated changes in the labels, and the para 87 caveat on the chart."""
    counts = rows[rows["measure"] == "SOC disruptions"]
    changes = rows[rows["measure"] == "Change on previous 12 months"].set_index("breakdown")["value"]
    fig = category_bars(counts, label="breakdown", horizontal=True)
    if not fig.data:
        return fig
    bar = fig.data[0]
    bar.text = [
        f"{text} ({format_value(changes[b], 'percent change', 'exact')})" if b in changes.index else text
        for text, b in zip(bar.text, bar.y, strict=True)
    ]
    if "ROCUWM support" in list(bar.y) and (counts["series_break"] == "yes").any():
        # Under the bars, from the left edge of the plot: the support figure is not like for like.
        fig.add_annotation(
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-8,
            xanchor="left",
            yanchor="top",
            text="Support: recording<br>changed (para 87)",
            showarrow=False,
            font=dict(size=12),
        )
    fig.update_layout(margin=dict(r=label_room(bar.text), b=55))
    return fig


def _lead_support_summary(rows: pd.DataFrame) -> str:
    counts = rows[rows["measure"] == "SOC disruptions"].set_index("breakdown")
    changes = rows[rows["measure"] == "Change on previous 12 months"].set_index("breakdown")
    parts = []
    for who in counts.index:
        text = f"{who}: {format_value(counts.loc[who, 'value'], 'disruptions', 'exact')} disruptions"
        if who in changes.index:
            text += f", a stated change of {format_value(changes.loc[who, 'value'], 'percent change', 'exact')} on the year before"
        parts.append(text)
    return f"{counts['period'].iloc[0]}. " + "; ".join(parts) + "."


def _socu_title(rows: pd.DataFrame) -> str:
    totals = rows[(rows["measure"] == "SOCU investigations") & (rows["breakdown"] == "Total")].set_index("period")[
        "value"
    ]
    if {NOW, YEAR_EARLIER} <= set(totals.index):
        now, before = totals[NOW], totals[YEAR_EARLIER]
        verb = "rose" if now > before else "fell" if now < before else "stayed"
        return f"The serious organised crime caseload {verb} to {now:g} investigations, from {before:g} a year earlier"
    return "Serious organised crime unit caseload"


def _socu_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["category"] == "SOCU"]


def charts(store: DataStore, filters: Filters) -> list[Chart]:
    """Every chart of this section under ``filters``, in reading order."""
    outcomes = store.dataset("rocu_outcomes")
    table = outcomes[outcomes["source"] == "para 88"]
    caps = store.dataset("rocu_capabilities")

    def measures(names: tuple[str, ...]) -> pd.DataFrame:
        return table[table["measure"].isin(names)]

    out = [
        build_chart(
            "rocu-disruptions",
            table[table["category"] == "Disruptions by strand"],
            filters,
            title=_disruptions_title,
            summary=_disruptions_summary,
            figure=lambda r: period_bars(r, category="strand"),
            caveats=_break_caveats,
            empty_title="Disruptions by strand",
        ),
        build_chart(
            "rocu-lead-support",
            store.dataset("rocu_disruptions"),
            filters,
            title=_lead_support_title,
            summary=_lead_support_summary,
            figure=_lead_support_figure,
            caveats=[
                "The paper puts the fall in support disruptions down to a change in how support activity "
                "is recorded, not a fall in activity (para 87).",
                "The paper says 'the last 12 months'; the dashboard takes this as the para 88 period.",
            ],
            empty_title="Lead and support disruptions",
        ),
        build_chart(
            "rocu-reasons",
            store.dataset("rocu_explanations"),
            filters,
            title="What the paper says lies behind the changes",
            summary="The board paper's own explanations. Where it gives none, the dashboard does not guess.",
            facts=True,
            empty_title="What the paper says lies behind the changes",
        ),
        build_chart(
            "rocu-justice",
            measures(JUSTICE),
            filters,
            title=lambda r: compare_title(r, JUSTICE),
            summary=compare_summary,
            figure=lambda r: period_bars(r, order=JUSTICE),
            empty_title="Arrests, charges and convictions",
        ),
        build_chart(
            "rocu-sentences",
            measures(("Years sentenced",)),
            filters,
            title=compare_title,
            summary=compare_summary,
            figure=period_bars,
            empty_title="Years sentenced",
        ),
        build_chart(
            "rocu-drugs",
            measures(DRUGS),
            filters,
            title=lambda r: compare_title(r, DRUGS),
            summary=compare_summary,
            figure=lambda r: period_bars(r, order=DRUGS),
            empty_title="Drugs seized",
        ),
        build_chart(
            "rocu-firearms",
            measures(("Firearms seized",)),
            filters,
            title=compare_title,
            summary=compare_summary,
            figure=period_bars,
            empty_title="Firearms seized",
        ),
        build_chart(
            "rocu-ammunition",
            measures(("Ammunition seized",)),
            filters,
            title=compare_title,
            summary=compare_summary,
            figure=period_bars,
            empty_title="Ammunition seized",
        ),
        build_chart(
            "rocu-safeguarding",
            measures(("Safeguarded",)),
            filters,
            title=compare_title,
            summary=compare_summary,
            figure=period_bars,
            empty_title="People safeguarded",
        ),
        build_chart(
            "rocu-socu",
            _socu_rows(caps),
            filters,
            title=_socu_title,
            summary=lambda r: (
                "Investigations by phase at the time of the paper: "
                + "; ".join(
                    f"{b} {v:g}"
                    for b, v, p in zip(r["breakdown"], r["value"], r["period"], strict=True)
                    if b and p == "At the paper's date"
                )
                + ". Those linked to Operation Venetic overlap the phases."
            ),
            figure=lambda r: category_bars(
                r[(r["measure"] == "SOCU investigations") & (r["period"] == "At the paper's date")]
            ),
            empty_title="Serious organised crime unit caseload",
        ),
        build_chart(
            "rocu-teams",
            caps[caps["category"] != "SOCU"],
            filters,
            title="The specialist teams' caseloads and results",
            summary="RECU is the Regional Economic Crime Unit; RCCU the Regional Cyber Crime Unit, with RDOT, its dark "
            "web team; TIDU the Technical Intelligence Development Unit; CDIU the Communications Data "
            "Investigation Unit.",
            facts_by_category=True,
            empty_title="The specialist teams' caseloads and results",
        ),
        build_chart(
            "rocu-budget",
            store.dataset("rocu_funding"),
            filters,
            title=lambda r: _budget_title(r),
            summary=lambda r: (
                "; ".join(
                    f"{b}: {format_value(v, 'GBP million', q)}"
                    for b, v, q in zip(r["breakdown"], r["value"], r["qualifier"], strict=True)
                )
                + "."
            ),
            figure=lambda r: category_bars(r, horizontal=True),
            empty_title="The unit's budget",
        ),
    ]
    return out


def _budget_title(rows: pd.DataFrame) -> str:
    b = rows.set_index("breakdown")["value"]
    if {"Total", "Regional PCCs", "Home Office grants"} <= set(b.index):
        return f"The regional PCCs fund £{b['Regional PCCs']:g}m of the £{b['Total']:g}m budget for 2020/21; Home Office grants £{b['Home Office grants']:g}m"
    return "The unit's budget"
