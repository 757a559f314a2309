"""Meeting mode: the board pack's slides in the browser, for the projector.

A slide's address names its chart: ``/present/<section>/<chart-key>`` (a later part of a chart, such as
the second half of a long list or its caveats, adds ``/<n>``), plus the filters, so a bookmarked slide
shows the same chart whatever the filters. "Present this page" steps through that section only;
``deck=all`` steps through the whole dashboard, starting with the overview's summary. The slides are
those of the board pack (``exports.deck``): titles fitted, long lists split "1 of 2", caveats past two
lines on a slide of their own, so nothing is cut off. Each slide is a 16:9 stage scaled to the window.

Keys (``assets/present.js``): → or Space next, ← previous, Home first, End last (within the deck),
G the list of slides, B a black screen, F or Shift+F full screen, P the presenter view (current and next
slide, notes and time, kept in step in a second window), L a light theme, Esc leave.
The older addresses (``/present/<section>-<n>``) still open their slide.
"""

from __future__ import annotations

import json

import dash
from dash import dcc, html

from components.page import safe_layout
from data.loader import get_store
from data.queries import Filters
from exports import deck
from exports.deck import Step
from exports.tables import filters_text
from figures.theme import for_presenting
from sections import BY_SLUG, SECTIONS, links, section_charts

dash.register_page(
    __name__,
    path_template="/present/<slide>",
    name="Meeting mode",
    title="Meeting mode – SPR Board Dashboard",
    description="The dashboard's charts as full-screen slides for the board meeting.",
    nav=False,
)

PRESENTER_ID = "presenter"
GRAPH_ID = "presenter-graph"
#: The query values that choose the deck, the window and the theme.
DECK_PARAM, WHOLE = "deck", "all"
VIEW_PARAM, PRESENTER_VIEW = "view", "presenter"
THEME_PARAM, LIGHT = "theme", "light"
KEYS_TEXT = (
    "Keys: → or Space next · ← previous · Home first · End last · G slides · B blank · F full screen · "
    "P presenter view · L light or dark · Esc leave"
)


def _sections_of(slug: str, whole: bool):
    return SECTIONS if whole or slug not in BY_SLUG else (BY_SLUG[slug],)


def steps_for(slug: str, filters: Filters, whole: bool) -> list[Step]:
    return deck.meeting_steps(get_store(), _sections_of(slug, whole), filters, whole)


def _resolve(slide: str, filters: Filters) -> tuple[str, str, int]:
    """(section slug, chart key, part) from an address; an older '<section>-<n>' address is its n-th chart."""
    parts = [p for p in (slide or "").split("/") if p]
    if len(parts) >= 2:
        part = int(parts[2]) if len(parts) > 2 and parts[2].isdecimal() and parts[2].isascii() else 1
        return parts[0], parts[1], part
    name = parts[0] if parts else ""
    slug, _, number = name.rpartition("-")
    if slug in BY_SLUG and number.isdecimal() and number.isascii():
        charts = [c for c in section_charts(BY_SLUG[slug], get_store(), filters) if not c.is_empty]
        n = int(number)
        return slug, charts[n - 1].key if 0 < n <= len(charts) else "", 1
    return name, "", 1


def _shows(slide: str | None = None, **query: str) -> tuple[str, ...]:
    """The datasets of the deck the slide belongs to."""
    name = (slide or "").split("/")[0]
    slug = name if name in BY_SLUG or "/" in (slide or "") else name.rsplit("-", 1)[0]
    if query.get(DECK_PARAM) == WHOLE or slug not in BY_SLUG:
        return tuple(get_store().catalogue)
    return BY_SLUG[slug].datasets


def slide_url(step: Step, filters: Filters, whole: bool, light: bool = False, presenter: bool = False) -> str:
    extra = {}
    if whole:
        extra[DECK_PARAM] = WHOLE
    if light:
        extra[THEME_PARAM] = LIGHT
    if presenter:
        extra[VIEW_PARAM] = PRESENTER_VIEW
    return f"/present/{step.id}" + links.search(filters, **extra)


def _table(slide: deck.Slide) -> html.Table:
    columns, widths = slide.extra["columns"], slide.extra["widths"]
    total = sum(widths)
    return html.Table(
        [
            html.Colgroup([html.Col(style={"width": f"{100 * w / total:.1f}%"}) for w in widths]),
            html.Thead(html.Tr([html.Th(c, scope="col") for c in columns])),
            html.Tbody([html.Tr([html.Td(v) for v in row]) for row in slide.rows]),
        ],
        className="presenter-table",
    )


def _body(step: Step, light: bool):
    slide = step.slide
    if slide.kind == "table":
        return _table(slide)
    if slide.kind == "caveats":
        return html.Ul([html.Li(line.removeprefix("Caveat: ")) for line in slide.lines], className="presenter-caveats")
    figure = slide.chart.figure if slide.chart is not None else None
    if figure is None:
        return html.P(slide.chart.empty_message if slide.chart is not None else "")
    return dcc.Graph(
        id=GRAPH_ID,
        figure=for_presenting(figure, light=light),
        config={"displayModeBar": False, "responsive": True},
        className="presenter-graph",
    )


def _filters_line(filters: Filters) -> str:
    return "" if filters == Filters() else f"Filtered: {filters_text(filters)}"


@safe_layout(shows=_shows)
def layout(slide: str | None = None, **query: str) -> html.Div:
    filters = Filters.from_query(query)
    whole = query.get(DECK_PARAM) == WHOLE
    light = query.get(THEME_PARAM) == LIGHT
    presenter = query.get(VIEW_PARAM) == PRESENTER_VIEW
    slug, key, part = _resolve(slide or "", filters)
    steps = steps_for(slug, filters, whole)
    if not steps:
        return html.Div(
            [
                html.H1("Nothing to present"),
                html.P("No chart has figures under these filters."),
                html.A("Back", href=links.page(BY_SLUG[slug].path if slug in BY_SLUG else "/", filters)),
            ]
        )
    ids = [s.id for s in steps]
    wanted = f"{slug}/{key}" + (f"/{part}" if part > 1 else "")
    # A slide this deck no longer has under these filters opens its section's first slide (or the first).
    index = ids.index(wanted) if wanted in ids else next((i for i, s in enumerate(steps) if s.slide.slug == slug), 0)
    step = steps[index]

    def url(i: int, **kw) -> str:
        return slide_url(steps[i], filters, whole, **{"light": light, **kw})

    section = BY_SLUG.get(step.slide.slug)
    exit_url = links.page(section.path if section is not None else "/", filters)
    listing = [{"id": s.id, "url": url(i), "title": s.slide.title} for i, s in enumerate(steps)]
    if presenter:
        return _presenter_view(steps, index, listing, filters, whole)
    s = step.slide
    scope = "Whole dashboard" if whole else s.section
    theme_url = slide_url(step, filters, whole, light=not light)
    return html.Div(
        html.Div(
            [
                html.Div(
                    [
                        html.Span(f"{scope} · slide {index + 1} of {len(steps)}", className="presenter-where"),
                        html.Span(_filters_line(filters), className="presenter-filters"),
                        html.Span(
                            [
                                dcc.Link("← Previous", href=url(index - 1), className="presenter-button")
                                if index > 0
                                else None,
                                dcc.Link("Next →", href=url(index + 1), className="presenter-button")
                                if index < len(steps) - 1
                                else None,
                                html.Button(
                                    "Slides (G)", className="presenter-button presenter-open-list", type="button"
                                ),
                                html.A(
                                    "Presenter view (P)",
                                    href=url(index, presenter=True),
                                    className="presenter-button presenter-open-view",
                                    target="spr-presenter-view",
                                ),
                                dcc.Link(
                                    "Dark (L)" if light else "Light (L)",
                                    href=theme_url,
                                    className="presenter-button presenter-theme",
                                ),
                                dcc.Link("Leave (Esc)", href=exit_url, className="presenter-button"),
                            ],
                            className="presenter-controls",
                        ),
                    ],
                    className="presenter-bar",
                ),
                html.H1(s.title, className="presenter-title"),
                html.P("Context from public sources other than the board paper", className="presenter-context")
                if s.chart is not None and s.chart.context
                else None,
                # Focusable, so a reader can reach it; named by its finding, described once by its summary.
                html.Figure(
                    _body(step, light),
                    className=f"presenter-body presenter-{s.kind}",
                    tabIndex="0",
                    **{"aria-label": s.full_title or s.title},
                ),
                html.Div(
                    [
                        *(html.P(c, className="presenter-caveat") for c in s.caveats),
                        html.P(s.source, className="presenter-source") if s.source else None,
                    ],
                    className="presenter-foot",
                ),
                html.P(KEYS_TEXT, className="presenter-keys"),
            ],
            className="presenter-stage",
        ),
        id=PRESENTER_ID,
        className="presenter presenter-light" if light else "presenter",
        **{
            "data-presenter": step.id,
            "data-next": url(index + 1) if index < len(steps) - 1 else "",
            "data-prev": url(index - 1) if index > 0 else "",
            "data-first": url(0),
            "data-last": url(len(steps) - 1),
            "data-exit": exit_url,
            "data-theme": theme_url,
            "data-presenter-view": url(index, presenter=True),
            "data-slides": json.dumps(listing, ensure_ascii=False),
        },
    )


def _presenter_view(steps: list[Step], index: int, listing: list[dict], filters: Filters, whole: bool) -> html.Div:
    """The presenter's window: the current and next slide's titles, the notes and the time. It follows
    the audience window (and moves it) through the browser's BroadcastChannel, with no server round trip."""
    notes = [
        {**item, "notes": s.slide.notes, "section": s.slide.section} for item, s in zip(listing, steps, strict=True)
    ]
    current = steps[index].slide
    following = steps[index + 1].slide.title if index + 1 < len(steps) else "End of the slides"
    return html.Div(
        [
            html.Div(
                [
                    html.Span(f"Slide {index + 1} of {len(steps)}", className="pv-where"),
                    html.Span(_filters_line(filters), className="presenter-filters"),
                    html.Span(
                        [html.Span("Time ", className="visually-hidden"), html.Span("0:00", className="pv-elapsed")],
                        className="pv-time",
                    ),
                    html.Span(className="pv-clock"),
                ],
                className="pv-bar",
            ),
            html.H1("Presenter view", className="visually-hidden"),
            html.Section(
                [html.H2("Now", className="pv-label"), html.P(current.title, className="pv-current")],
                className="pv-now",
            ),
            html.Section(
                [html.H2("Next", className="pv-label"), html.P(following, className="pv-next")],
                className="pv-following",
            ),
            html.Section(
                [
                    html.H2("Notes: figures and caveats", className="pv-label"),
                    html.Pre(current.notes, className="pv-notes", tabIndex="0"),
                ],
                className="pv-notes-box",
            ),
            html.P(
                [
                    html.Button("← Previous", className="presenter-button pv-prev", type="button"),
                    html.Button("Next →", className="presenter-button pv-nextbtn", type="button"),
                ],
                className="pv-controls",
            ),
            html.P(
                "Keys here move the audience's window too: → or Space next, ← previous, Home, End.",
                className="presenter-keys",
            ),
        ],
        id=PRESENTER_ID,
        className="presenter presenter-view",
        **{
            "data-presenter-of": steps[index].id,
            "data-index": str(index),
            "data-whole": "yes" if whole else "",
            "data-slides": json.dumps(notes, ensure_ascii=False),
        },
    )
