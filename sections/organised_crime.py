"""Serious and organised crime: the regional unit's outcomes year on year, its disruptions, teams,
budget and inspections."""

from __future__ import annotations

import pandas as pd

from data.checks import stated_difference
from data.formatting import format_value, lower_first
from data.loader import DataStore
from data.queries import Filters, changes_by_series, describe_change, ordered_periods, percent_text
from figures.chart import HALF, SMALL, Chart, build_chart
from figures.charts import label_room, period_bars, stacked_bars
from sections.base import Section, latest_rows, latest_statements, only, parts_of, pick

JUSTICE = ("Arrested", "Charged", "Convicted")
DRUGS = ("Cocaine seized", "Heroin seized", "Other Class A seized", "Other Class B seized")
#: The table's measure names as the subject of a sentence ("People arrested fell 27%").
PLAIN_LABELS = {
    "Arrested": "People arrested",
    "Charged": "People charged",
    "Convicted": "People convicted",
    "Safeguarded": "People safeguarded",
}
#: The outcomes table: every category of the dataset but the paper's statements of change.
STATED = "Stated changes"


def outcomes_table(store: DataStore) -> pd.DataFrame:
    """The unit's year-on-year outcomes table, chosen by what the rows are (not by their source)."""
    rows = store.dataset("rocu_outcomes")
    return rows[rows["category"] != STATED]


def plain_label(row: pd.Series) -> str:
    """A series' name as the subject of a sentence: 'People arrested', 'Pursue disruptions'."""
    if row["category"] == "Disruptions by strand" and row["strand"]:
        return f"{row['strand']} disruptions"
    return PLAIN_LABELS.get(str(row["measure"]), str(row["measure"]))


def compare_title(rows: pd.DataFrame) -> str:
    """The finding of a period comparison: the largest change in the chart's own unit (the most kg, the
    most people), and how the rest moved."""
    changes = changes_by_series(rows, plain_label)
    if not changes:
        return ""
    with_pct = [c for c in changes if c.percent is not None and not c.derived]
    read = [c for c in changes if not c.derived] or changes
    lead = max(with_pct, key=lambda c: abs(c.after - c.before)) if with_pct else read[0]
    title = describe_change(lead)
    others = [c for c in changes if c is not lead and c.direction in ("up", "down")]
    if others and all(c.direction == lead.direction for c in others):
        title += "; the others " + ("rose too" if lead.direction == "up" else "fell too")
    return title


def compare_summary(rows: pd.DataFrame) -> str:
    """Every period's figure of each series, and its latest change."""
    periods = ordered_periods(rows)
    if len(periods) < 2:
        return f"Figures for {periods[0]}." if periods else ""
    parts = []
    for c, (_, sub) in zip(
        changes_by_series(rows, plain_label),
        rows.groupby(["measure", "breakdown", "force", "strand"], sort=False, dropna=False, observed=True),
        strict=True,
    ):
        ordered = sub.set_index("period").reindex([p for p in periods if p in set(sub["period"])])
        values = ", then ".join(
            format_value(v, str(u), str(q))
            for v, u, q in zip(ordered["value"], ordered["unit"], ordered["qualifier"], strict=True)
        )
        pct = percent_text(c)
        parts.append(f"{c.label}: {values}" + (f" ({pct})" if pct else ""))
    if len(periods) > 2:
        span = "Figures for " + ", ".join(periods[:-1]) + f" and {periods[-1]}"
    else:
        span = f"{periods[0]} compared with {periods[-1]}"
    return f"{span}. " + "; ".join(parts) + "."


def _notes(rows: pd.DataFrame) -> list[str]:
    """The notes of the chart's latest rows: the caveats the data itself carries."""
    return list(dict.fromkeys(n for n in latest_rows(rows)["note"] if n))


def _disruptions_title(rows: pd.DataFrame) -> str:
    latest = ordered_periods(rows)[-1]
    now = rows[(rows["period"] == latest) & rows["value"].notna()].sort_values("value", ascending=False)
    if now.empty:
        return f"Disruptions by strand in {latest}"
    top = now.iloc[0]
    what = f"{format_value(top['value'], 'disruptions', top['qualifier'])} disruptions in {latest}"
    if len(now) == 1:
        return f"{top['strand'] or top['measure']}: {what}"
    return f"{top['strand'] or top['measure']} was the largest strand: {what}"


def _span(periods: list[str]) -> str:
    """'Dec 2018 to Nov 2019 compared with Dec 2019 to Nov 2020', or the periods listed."""
    if len(periods) == 2:
        return f"{periods[0]} compared with {periods[1]}"
    return ", ".join(periods[:-1]) + f" and {periods[-1]}" if len(periods) > 2 else "".join(periods)


def _disruptions_summary(rows: pd.DataFrame) -> str:
    parts = [f"Each strand's disruptions, {_span(ordered_periods(rows))}"]
    for period in ordered_periods(rows):
        sub = rows[rows["period"] == period]
        parts.append(
            period
            + ": "
            + ", ".join(
                f"{s or m} {format_value(v, 'disruptions', q)}"
                for s, m, v, q in zip(sub["strand"], sub["measure"], sub["value"], sub["qualifier"], strict=True)
            )
        )
    changes = [c for c in changes_by_series(rows, plain_label) if c.percent is not None]
    text = ". ".join(parts) + "."
    if changes:
        text += " Changes on the period before: " + "; ".join(f"{c.label} {percent_text(c)}" for c in changes) + "."
    return text


def _stated_changes(rows: pd.DataFrame) -> pd.DataFrame:
    return pick(rows, measure="Change on previous 12 months")


def _counts(rows: pd.DataFrame) -> pd.DataFrame:
    return pick(rows, measure="SOC disruptions")


def _lead_support_title(rows: pd.DataFrame) -> str:
    counts = latest_rows(_counts(rows))
    if counts.empty:
        return "Lead and support disruptions"
    parts = [
        f"{lower_first(str(b).replace('ROCUWM ', ''))} {format_value(v, 'disruptions', q)}"
        for b, v, q in zip(counts["breakdown"], counts["value"], counts["qualifier"], strict=True)
    ]
    return f"In {counts['period'].iloc[0]} the unit's disruptions: " + ", ".join(parts)


def _lead_support_figure(rows: pd.DataFrame):
    """Counts as bars, one group per period, with the paper's stated changes in the labels."""
    counts = _counts(rows)
    stated = _stated_changes(rows)
    fig = period_bars(counts, category="breakdown", horizontal=True)
    said = {
        (b, p): format_value(v, "percent change", q)
        for b, p, v, q in zip(stated["breakdown"], stated["period"], stated["value"], stated["qualifier"], strict=True)
        if v == v
    }
    for trace in fig.data:
        if getattr(trace, "y", None) is None:
            continue
        trace.text = [
            f"{text}<br>stated {said[(b, trace.name)]}" if (b, trace.name) in said else text
            for text, b in zip(trace.text, [str(y).replace("<br>", " ") for y in trace.y], strict=True)
        ]
    # Room after the longest bar for its label, whatever the screen width.
    labels = [t for trace in fig.data for t in (trace.text or ())]
    fig.update_layout(margin=dict(r=label_room(labels)))
    fig.update_xaxes(range=[0, float(counts["value"].max()) * 1.05] if counts["value"].notna().any() else None)
    return fig


def _lead_support_summary(rows: pd.DataFrame) -> str:
    counts = _counts(rows)
    stated = _stated_changes(rows)
    parts = ["The disruptions the unit led and those it supported, with the changes the paper states"]
    for period in ordered_periods(counts):
        sub = counts[counts["period"] == period]
        said = stated[stated["period"] == period].set_index("breakdown")["value"]
        words = []
        for b, v, q in zip(sub["breakdown"], sub["value"], sub["qualifier"], strict=True):
            text = f"{b} {format_value(v, 'disruptions', q)}"
            if b in said.index and len(said[[b]]) == 1:
                text += f" (a change of {format_value(said[b], 'percent change', 'exact')} on the 12 months before, as stated in the paper)"
            words.append(text)
        parts.append(f"{period}: " + "; ".join(words))
    return ". ".join(parts) + "."


def _socu_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return pick(rows, measure="SOCU investigations")


def _socu_title(rows: pd.DataFrame) -> str:
    totals = pick(_socu_rows(rows), breakdown="Total")
    changes = changes_by_series(totals, lambda r: "The serious organised crime caseload")
    if len(changes) == 1 and changes[0].before is not None:
        c = changes[0]
        now = f"{format_value(c.after, c.unit, c.qualifier)} investigations {lower_first(c.after_period)}"
        before = f"{format_value(c.before, c.unit, c.before_qualifier)} {lower_first(c.before_period)}"
        if c.direction == "same":
            return f"The serious organised crime caseload stayed at {now}, as {lower_first(c.before_period)}"
        verb = "rose" if c.direction == "up" else "fell"
        return f"The serious organised crime caseload {verb} to {now}, from {before}"
    return "Serious organised crime unit caseload"


#: Caseload figures that overlap the phases (so are not a part of the total).
OVERLAPPING = ("Linked to Operation Venetic",)


def _socu_figure(rows: pd.DataFrame):
    """The phases as parts of the caseload, in one bar (not a total beside its own parts)."""
    latest = latest_rows(_socu_rows(rows))
    return stacked_bars(latest, parts_of(latest, overlapping=OVERLAPPING))


def _socu_summary(rows: pd.DataFrame) -> str:
    latest = latest_rows(_socu_rows(rows))
    if latest.empty:
        return ""
    phases = "; ".join(
        f"{b} {format_value(v, 'investigations', q)}"
        for b, v, q in zip(latest["breakdown"], latest["value"], latest["qualifier"], strict=True)
        if b and b != "Total"
    )
    total = only(pick(latest, breakdown="Total"))
    whole = (
        f"{format_value(total['value'], 'investigations', total['qualifier'])} in all: " if total is not None else ""
    )
    period = lower_first(latest["period"].iloc[0])
    return (
        f"The caseload {period}, by phase. Investigations by phase, {period}: {whole}{phases}. "
        "Those linked to Operation Venetic overlap the phases."
    )


def _socu_caveats(rows: pd.DataFrame) -> list[str]:
    """Other figures the paper gives about the caseload, such as expected arrests, with their qualifiers."""
    others = rows[rows["measure"] != "SOCU investigations"]
    # What a paper expected is shown only from the latest paper: an earlier one's expectation is out of date.
    others = others[others["publication"].isin(list(latest_rows(_socu_rows(rows))["publication"].unique()))]
    return [
        f"{m} ({p}, {src}): {format_value(v, str(u), str(q))}. {n}".strip()
        for m, p, src, v, u, q, n in zip(
            others["measure"],
            others["period"],
            others["source"],
            others["value"],
            others["unit"],
            others["qualifier"],
            others["note"],
            strict=True,
        )
    ]


def _stated_difference_caveats(rows: pd.DataFrame, stated: pd.DataFrame) -> list[str]:
    """A paper's own statement of a rise or fall ("over 500 kg more cocaine"), beside the chart of the
    figures, with the difference the table gives."""
    out = []
    for _, s in stated.iterrows():
        named = stated_difference(str(s["measure"]))
        if named is None:
            continue
        sign, measure = named
        figures = pick(rows, measure=measure)
        periods = ordered_periods(figures)
        if s["period"] not in periods or periods.index(s["period"]) == 0:
            continue
        now = only(figures[figures["period"] == s["period"]])
        before = only(figures[figures["period"] == periods[periods.index(s["period"]) - 1]])
        if now is None or before is None:
            continue
        unit = str(s["unit"])
        diff = float(now["value"]) - float(before["value"])
        moved = "rise" if diff > 0 else "fall" if diff < 0 else "change"
        said = "rise" if sign > 0 else "fall"
        out.append(
            f"The paper states a {said} of {format_value(s['value'], unit, str(s['qualifier']))} in "
            f"{lower_first(measure)} on the year before ({s['source']}); its table gives a {moved} of "
            f"{format_value(round(abs(diff), 6), unit, 'exact')} (our calculation)."
        )
    return out


def reasons_chart(key: str, store: DataStore, filters: Filters, width: str = HALF) -> Chart:
    """What the paper behind the latest outcomes says lies behind the changes. Where that paper gives no
    reasons, the reasons an earlier paper gave are shown as that paper's, for its own periods."""
    reasons = store.dataset("rocu_explanations")
    table = pick(outcomes_table(store), force="West Midlands region")
    latest = latest_rows(table)
    latest_pubs = set(latest["publication"].astype(str))
    current = reasons[reasons["publication"].astype(str).isin(latest_pubs)]
    if not current.empty or reasons.empty:
        return build_chart(
            key,
            current,
            filters,
            title="What the paper says lies behind the changes",
            summary="The paper's own explanations; the dashboard adds none.",
            name="Reasons for the changes",
            facts=True,
            empty_title="What the paper says lies behind the changes",
            width=width,
        )
    period = latest["period"].iloc[0] if not latest.empty else ""
    earlier = sorted(
        {store.publications[p].name for p in reasons["publication"].astype(str) if p in store.publications}
    )
    return build_chart(
        key,
        reasons,
        filters,
        title="Reasons an earlier paper gave for its own figures",
        summary=f"The paper with the latest figures ({period}) gives no reasons for the changes; these are the "
        f"reasons given in {', '.join(earlier)}, for the periods shown.",
        facts=True,
        empty_title="Reasons an earlier paper gave for its own figures",
        width=width,
    )


def _budget_title(rows: pd.DataFrame) -> str:
    latest = latest_rows(rows)
    total = only(pick(latest, breakdown="Total"))
    parts = latest[latest["breakdown"] != "Total"]
    if total is None or parts.empty:
        return "The unit's budget"
    words = " and ".join(
        f"{format_value(v, str(u), str(q))} from {lower_first(b)}"
        for b, v, u, q in zip(parts["breakdown"], parts["value"], parts["unit"], parts["qualifier"], strict=True)
    )
    return f"The {total['period']} budget of {format_value(total['value'], str(total['unit']), str(total['qualifier']))}: {words}"


def charts(store: DataStore, filters: Filters) -> list[Chart]:
    """Every chart of this section under ``filters``, in reading order."""
    table = outcomes_table(store)
    stated_rise = pick(store.dataset("rocu_outcomes"), category=STATED)
    disruptions = store.dataset("rocu_disruptions")
    caps = store.dataset("rocu_capabilities")
    funding = store.dataset("rocu_funding")

    def measures(names: tuple[str, ...]) -> pd.DataFrame:
        return table[table["measure"].isin(names)]

    def compare(key: str, names: tuple[str, ...], empty: str, caveats=_notes, width: str = HALF) -> Chart:
        return build_chart(
            key,
            measures(names),
            filters,
            title=compare_title,
            summary=compare_summary,
            figure=lambda r: period_bars(r, order=names),
            caveats=caveats,
            empty_title=empty,
            width=width,
        )

    return [
        build_chart(
            "rocu-disruptions",
            table[table["category"] == "Disruptions by strand"],
            filters,
            title=_disruptions_title,
            summary=_disruptions_summary,
            figure=lambda r: period_bars(r, category="strand"),
            caveats=_notes,
            empty_title="Disruptions by strand",
            width=HALF,
        ),
        build_chart(
            "rocu-lead-support",
            disruptions[disruptions["measure"].isin(["SOC disruptions", "Change on previous 12 months"])],
            filters,
            title=_lead_support_title,
            summary=_lead_support_summary,
            figure=_lead_support_figure,
            caveats=_notes,
            empty_title="Lead and support disruptions",
            width=HALF,
        ),
        compare("rocu-justice", JUSTICE, "Arrests, charges and convictions"),
        compare(
            "rocu-drugs",
            DRUGS,
            "Drugs seized",
            caveats=lambda r: [*_notes(r), *_stated_difference_caveats(r, stated_rise)],
        ),
        # Four two-number comparisons, side by side as small multiples (each on its own scale).
        compare("rocu-sentences", ("Years sentenced",), "Years sentenced", width=SMALL),
        compare("rocu-firearms", ("Firearms seized",), "Firearms seized", width=SMALL),
        compare("rocu-ammunition", ("Ammunition seized",), "Ammunition seized", width=SMALL),
        compare("rocu-safeguarding", ("Safeguarded",), "People safeguarded", width=SMALL),
        build_chart(
            "rocu-socu",
            pick(caps, category="SOCU"),
            filters,
            title=_socu_title,
            summary=_socu_summary,
            figure=_socu_figure,
            caveats=_socu_caveats,
            empty_title="Serious organised crime unit caseload",
            name="Caseload",
            width=HALF,
        ),
        build_chart(
            "rocu-budget",
            pick(funding, category="Budget"),
            filters,
            title=_budget_title,
            summary=lambda r: (
                f"Where the unit's budget comes from ({latest_rows(r)['period'].iloc[0]}). "
                + "; ".join(
                    f"{b}: {format_value(v, str(u), q)} ({p})"
                    for b, v, u, q, p in zip(
                        r["breakdown"], r["value"], r["unit"], r["qualifier"], r["period"], strict=True
                    )
                )
                + "."
            ),
            figure=lambda r: stacked_bars(latest_rows(r), parts_of(latest_rows(r))),
            empty_title="The unit's budget",
            width=HALF,
        ),
        build_chart(
            "rocu-threats",
            latest_statements(pick(disruptions, category="Threats disrupted")),
            filters,
            title="The threats the unit disrupted most",
            summary="How the paper ranks the threats and crime types the unit disrupted.",
            name="Threats disrupted",
            facts=True,
            empty_title="The threats the unit disrupted most",
            width=HALF,
        ),
        reasons_chart("rocu-reasons", store, filters),
        build_chart(
            "rocu-teams",
            latest_statements(caps[caps["category"] != "SOCU"]),
            filters,
            title="The specialist teams' caseloads and results",
            summary="Each team's cases and results, as the paper gives them.",
            name="Specialist teams",
            facts_by_category=True,
            empty_title="The specialist teams' caseloads and results",
            width=HALF,
        ),
        build_chart(
            "rocu-finance",
            latest_statements(pick(funding, category="Finance statements")),
            filters,
            title="Spending, overtime and grants: what the paper says",
            summary="What the paper says of the unit's spending, costs and funding.",
            name="Spending and grants",
            facts=True,
            empty_title="Spending, overtime and grants",
            width=HALF,
        ),
        build_chart(
            "rocu-inspections",
            store.dataset("rocu_inspections"),
            filters,
            title="What inspections and reviews found",
            summary="Inspections and reviews of the unit, as the paper reports them.",
            name="Inspections",
            facts=True,
            empty_title="Inspections and reviews",
            width=HALF,
        ),
    ]


SECTION = Section(
    slug="organised-crime",
    name="Organised crime",
    title="Serious and organised crime",
    intro="What the West Midlands Regional Organised Crime Unit (ROCUWM) did in each 12 months the papers "
    "report, compared with the period before; how its teams are loaded, how it is funded and what inspections found.",
    description="The regional organised crime unit's outcomes year on year, its teams, budget and inspections.",
    datasets=(
        "rocu_outcomes",
        "rocu_disruptions",
        "rocu_explanations",
        "rocu_capabilities",
        "rocu_funding",
        "rocu_inspections",
    ),
    build=charts,
)
