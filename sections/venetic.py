"""Operation Venetic (EncroChat): the regional unit's results, lead and support, with national context."""

from __future__ import annotations

import pandas as pd

from data.formatting import format_value
from data.loader import DataStore
from data.queries import Filters, ordered_periods
from figures.chart import HALF, Chart, build_chart
from figures.charts import category_bars, stacked_bars, trend_lines
from sections.base import Section, latest_rows, latest_statements, only, parts_of, pick

PARTS = ("ROCUWM lead", "ROCUWM support")
OTHER_SOURCES = "From public sources other than the board paper, for context."


def _value(row: pd.Series | None) -> str:
    """A row's figure in words ('' for none), '(worked out)' where the dashboard computed it."""
    if row is None:
        return ""
    text = format_value(row["value"], str(row["unit"]), str(row["qualifier"]), row["value_text"])
    return text + (" (worked out)" if row["derived"] == "yes" else "")


def _outcomes_title(rows: pd.DataFrame) -> str:
    latest = latest_rows(rows)
    arrested = only(pick(latest, measure="Arrested", breakdown="Total"))
    cocaine = only(pick(latest, measure="Cocaine seized", breakdown="Total"))
    led = only(pick(latest, measure="Arrested", breakdown="ROCUWM lead"))
    if any(r is None or pd.isna(r["value"]) for r in (arrested, cocaine, led)):
        return "Results led and supported by the regional unit"
    return (
        f"{latest['period'].iloc[0]}: {_value(arrested)} people arrested and {_value(cocaine)} of cocaine seized; "
        f"the regional unit led on {_value(led)} of the arrests"
    )


def _outcomes_summary(rows: pd.DataFrame) -> str:
    parts = []
    periods = ordered_periods(rows)
    for period in periods[-1:]:
        at = rows[rows["period"] == period]
        for m in dict.fromkeys(at["measure"]):
            sub = at[at["measure"] == m]
            words = [
                f"{str(b).replace('ROCUWM ', '')} {_value(only(pick(sub, breakdown=b)))}"
                for b in (*PARTS, "Total")
                if only(pick(sub, breakdown=b)) is not None
            ]
            parts.append(f"{m} ({period}): " + ", ".join(words))
    earlier = f" Earlier figures ({', '.join(periods[:-1])}) are in the table." if len(periods) > 1 else ""
    return "; ".join(parts) + ". A blank in the paper's table is shown as not stated." + earlier


def _outcomes_caveats(rows: pd.DataFrame) -> list[str]:
    out = ["Bars show each result's split between work the unit led and work it supported; the labels are the counts."]
    if (rows["qualifier"] == "not stated").any():
        blanks = ", ".join(
            dict.fromkeys(
                f"{m} ({b})"
                for m, b in zip(
                    *[rows.loc[rows["qualifier"] == "not stated", c] for c in ("measure", "breakdown")], strict=True
                )
            )
        )
        out.append(f"Not stated in the source, so shown as not stated, not zero: {blanks}.")
    return out


#: The handles' whole, of which the other breakdowns are parts.
HANDLES_TOTAL = "Identified in the region"


def _handles_title(rows: pd.DataFrame) -> str:
    first = only(pick(latest_rows(rows), breakdown=HANDLES_TOTAL))
    if first is None:
        return "EncroChat handles"
    return f"{_value(first)} EncroChat handles identified in the region ({first['period']})"


def _uk_title(rows: pd.DataFrame) -> str:
    arrests = pick(rows, measure="Arrested")
    last = only(latest_rows(arrests))
    if last is None:
        return "Operation Venetic across the UK"
    return f"Across the UK, {_value(last)} people had been arrested by {last['period_end']:%-d %B %Y}"


#: The region the board oversees: highlighted wherever it is ranked among others.
HOME_REGION = "West Midlands region"


def _is_region(force: str) -> bool:
    return force.endswith(" region")


def _regions_title(rows: pd.DataFrame) -> str:
    """Ranked among regions only: a force is not like for like with a region."""
    arrests = rows[rows["force"].astype(str).map(_is_region)].sort_values("value", ascending=False)
    if arrests.empty:
        return "Regional results at the reveal"
    when = f"By {arrests['period_end'].max():%-d %B %Y}"
    if len(arrests) == 1:
        only_row = arrests.iloc[0]
        return f"{when} the {only_row['force']} had made {_value(only_row)} arrests"
    wm = arrests[arrests["force"].astype(str) == "West Midlands region"]
    # No ranking: the regions' own reports, mostly through local news, are not a league table.
    if wm.empty:
        return f"{when}, {len(arrests)} regions had reported their arrests"
    return f"{when} the West Midlands region had made {_value(wm.iloc[0])} arrests; {len(arrests)} regions reported figures"


def _left_out(rows: pd.DataFrame) -> list[str]:
    forces = sorted({f for f in rows["force"].astype(str) if not _is_region(f)})
    if not forces:
        return []
    return [
        f"Figures for a single force ({', '.join(forces)}) are left out of this chart: a force is part of a region."
    ]


def charts(store: DataStore, filters: Filters) -> list[Chart]:
    """Every chart of this section under ``filters``, in reading order."""
    venetic = store.dataset("operation_venetic")
    context = store.dataset("venetic_context")
    uk = context[context["force"].astype(str) == "United Kingdom"]
    regions = pick(context[context["force"].astype(str) != "United Kingdom"], measure="Arrested")
    return [
        build_chart(
            "venetic-outcomes",
            pick(venetic, category="Outcomes"),
            filters,
            title=_outcomes_title,
            summary=_outcomes_summary,
            # The latest snapshot: the table is a running total, so earlier ones are part of it.
            figure=lambda r: stacked_bars(latest_rows(r), PARTS, as_share=True),
            caveats=_outcomes_caveats,
            empty_title="Results led and supported by the regional unit",
        ),
        build_chart(
            "venetic-cash",
            latest_statements(pick(venetic, category="Cash")),
            filters,
            title=lambda r: (
                f"{_value(only(latest_rows(r))).capitalize()} in cash seized ({latest_rows(r)['period'].iloc[0]})"
                if only(latest_rows(r)) is not None
                else "Cash seized"
            ),
            summary=lambda r: " ".join(dict.fromkeys(n for n in r["note"] if n)) or "Cash seized in the operation.",
            facts=True,
            empty_title="Cash seized",
            width=HALF,
        ),
        build_chart(
            "venetic-handles",
            pick(venetic, category="Handles"),
            filters,
            title=_handles_title,
            summary=lambda r: (
                "How the paper groups the EncroChat handles identified in the region. "
                + "; ".join(f"{row['breakdown']}: {_value(row)}" for _, row in latest_rows(r).iterrows())
                + f" ({latest_rows(r)['period'].iloc[0]})."
            ),
            # The groups as parts of the handles identified, in one bar.
            figure=lambda r: stacked_bars(
                latest_rows(r), parts_of(latest_rows(r), total=HANDLES_TOTAL), total=HANDLES_TOTAL
            ),
            empty_title="EncroChat handles",
            width=HALF,
        ),
        build_chart(
            "venetic-uk",
            uk[uk["unit"].astype(str).isin(["people", "arrests"])],
            filters,
            title=_uk_title,
            summary=lambda r: (
                OTHER_SOURCES
                + " "
                + "; ".join(
                    f"{m} {_value(row)} ({row['period']})"
                    for m, (_, row) in zip(r["measure"], r.iterrows(), strict=True)
                )
                + "."
            ),
            figure=lambda r: trend_lines(r, series="measure"),
            caveats=[
                "National totals for all UK law enforcement, not the West Midlands; each point is a running total.",
                "An open triangle marks a figure given only as a lower bound ('over', 'more than').",
            ],
            empty_title="Operation Venetic across the UK",
            width=HALF,
            context=True,
        ),
        build_chart(
            "venetic-regions",
            regions,
            filters,
            title=_regions_title,
            summary=lambda r: (
                OTHER_SOURCES
                + " Arrests reported: "
                + "; ".join(
                    f"{f} {_value(row)} ({row['period']})" for f, (_, row) in zip(r["force"], r.iterrows(), strict=True)
                )
                + "."
            ),
            figure=lambda r: category_bars(
                r[r["force"].astype(str).map(_is_region)].sort_values("value", ascending=False),
                label="force",
                highlight=HOME_REGION,
            ),
            caveats=lambda r: [
                "Figures reported at the time by each region, mostly through local news; not a league table. "
                "The West Midlands region is the dark bar.",
                *_left_out(r),
            ],
            empty_title="Regional results at the reveal",
            width=HALF,
            context=True,
        ),
    ]


SECTION = Section(
    slug="venetic",
    name="Operation Venetic",
    title="Operation Venetic (EncroChat)",
    intro="The UK-wide operation that followed the take-down of EncroChat, an encrypted phone network used by "
    "criminals: what the regional unit achieved, and national figures for context.",
    description="Arrests, charges and seizures from the EncroChat take-down in the West Midlands region.",
    datasets=("operation_venetic", "venetic_context"),
    build=charts,
)
