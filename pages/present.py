"""Meeting mode: one chart per slide, in the paper's order, for the projector.

Each slide has its own address (``/present/<section>-<n>`` plus the filters), so a presenter can
jump to it; the arrow keys, Space, Home, End and Esc move between slides (``assets/app.js``).
"""

from __future__ import annotations

import dash
from dash import dcc, html

from components.chart_card import source_line
from components.facts import fact_list
from components.page import safe_layout
from components.tiles import tile_row
from data.loader import get_store
from data.queries import Filters
from figures.theme import for_presenting
from sections import SECTIONS, links, section_charts

dash.register_page(
    __name__,
    path_template="/present/<slide>",
    name="Meeting mode",
    title="Meeting mode – SPR Board Dashboard",
    description="The dashboard's charts as full-screen slides for the board meeting.",
    nav=False,
)

PRESENTER_ID = "presenter"


def slide_list(filters: Filters) -> list[tuple[str, object, object]]:
    """(slide id, section, chart) for every chart with figures under the filters, in order."""
    store = get_store()
    slides = []
    for section in SECTIONS:
        charts = [c for c in section_charts(section, store, filters) if not c.is_empty]
        for n, chart in enumerate(charts, start=1):
            slides.append((f"{section.slug}-{n}", section, chart))
    return slides


def _shows(slide: str | None = None, **_query: str) -> tuple[str, ...]:
    """The datasets of the slide's section (every dataset, for an address naming none)."""
    named = (slide or "").rsplit("-", 1)[0] if (slide or "").rsplit("-", 1)[-1].isdigit() else (slide or "")
    section = next((s for s in SECTIONS if s.slug == named), None)
    return section.datasets if section is not None else tuple(get_store().catalogue)


@safe_layout(shows=_shows)
def layout(slide: str | None = None, **query: str) -> html.Div:
    filters = Filters.from_query(query)
    store = get_store()
    slides = slide_list(filters)
    if not slides:
        return html.Div(
            [
                html.H1("Nothing to present"),
                html.P("No chart has figures under these filters."),
                html.A("Back", href=links.page("/", filters)),
            ]
        )
    ids = [s[0] for s in slides]
    # A section's name alone ("/present/venetic") opens its first slide.
    # A section's name alone ("/present/venetic"), or a slide it no longer has under these filters, opens
    # that section's first slide; anything else the first slide of all.
    named = (
        (slide or "").rsplit("-", 1)[0] if slide and slide not in ids and slide.rsplit("-", 1)[-1].isdigit() else slide
    )
    index = ids.index(slide) if slide in ids else next((i for i, s in enumerate(slides) if named == s[1].slug), 0)
    slide_id, section, chart = slides[index]

    def url(i: int) -> str:
        return links.slide(ids[i], filters)

    exit_url = links.page(section.path, filters)
    if chart.tiles or chart.points:
        body = html.Div(
            [
                tile_row(list(chart.tiles)) if chart.tiles else None,
                html.Ul([html.Li(p) for p in chart.points], className="presenter-points") if chart.points else None,
            ],
            className="presenter-facts presenter-summary",
        )
    elif chart.facts or chart.figure is None:
        body = html.Div(
            fact_list(chart.rows, show_category=chart.facts_by_category, publications=store.publications),
            className="presenter-facts",
        )
    else:
        body = dcc.Graph(
            id="presenter-graph",
            figure=for_presenting(chart.figure),
            config={"displayModeBar": False, "responsive": True},
            className="presenter-graph",
            style={"height": "calc(100vh - 18rem)", "minHeight": "16rem"},
        )
    # At most three caveats fit under a slide; the rest are on the page and in the exports.
    caveats = [html.Li(c) for c in chart.caveats[:3]]
    if len(chart.caveats) > 3:
        more = len(chart.caveats) - 3
        caveats.append(html.Li(f"{more} more {'caveat' if more == 1 else 'caveats'} on the page ({section.title})."))
    return html.Div(
        [
            html.Div(
                [
                    html.Span(f"{section.title} · slide {index + 1} of {len(slides)}", className="presenter-where"),
                    html.Span(
                        [
                            dcc.Link("← Previous", href=url(index - 1), className="presenter-button")
                            if index > 0
                            else None,
                            dcc.Link("Next →", href=url(index + 1), className="presenter-button")
                            if index < len(slides) - 1
                            else None,
                            dcc.Link("Leave (Esc)", href=exit_url, className="presenter-button"),
                        ],
                        className="presenter-controls",
                    ),
                ],
                className="presenter-bar",
            ),
            html.H1(chart.title, className="presenter-title"),
            html.P("Context from public sources other than the board paper", className="presenter-context")
            if chart.context
            else None,
            # Focusable, so a long list that scrolls can be scrolled by keyboard.
            html.Figure(
                body, className="presenter-body", tabIndex="0", **{"aria-label": f"{chart.title}. {chart.summary}"}
            ),
            html.Div(
                [
                    html.P(source_line(chart.rows, store.publications), className="presenter-source")
                    if not chart.rows.empty
                    else None,
                    html.Ul(caveats) if caveats else None,
                ],
                className="presenter-foot",
            ),
            html.P(
                "Keys: → or Space next · ← previous · Home first · End last · F full screen · Esc leave",
                className="presenter-keys",
            ),
        ],
        id=PRESENTER_ID,
        className="presenter",
        **{
            "data-presenter": slide_id,
            "data-next": url(index + 1) if index < len(slides) - 1 else "",
            "data-prev": url(index - 1) if index > 0 else "",
            "data-first": url(0),
            "data-last": url(len(slides) - 1),
            "data-exit": exit_url,
        },
    )
