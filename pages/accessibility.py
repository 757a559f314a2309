"""Accessibility statement, as UK public sector bodies publish under the 2018 Regulations."""

from __future__ import annotations

import dash
from dash import html

from components.page import safe_layout

dash.register_page(
    __name__,
    path="/accessibility",
    name="Accessibility",
    title="Accessibility statement – SPR Board Dashboard",
    description="How accessible the SPR Board Dashboard is, how it was tested, and its known limitations.",
    order=9,
    nav=False,
)


@safe_layout
def layout(**_query: str) -> html.Div:
    return html.Div(
        [
            html.H1("Accessibility statement"),
            html.P(
                "This statement covers the SPR Board Dashboard. We want as many people as possible to be able to "
                "use it, including board members who use a screen reader, a keyboard only, a phone, or large text.",
                className="lead",
            ),
            html.H2("What you can do", className="h4"),
            html.Ul(
                [
                    html.Li("Move through every page, filter, link, table and download with the keyboard alone."),
                    html.Li("Skip straight to the main content with the first link on each page."),
                    html.Li(
                        "Read every chart as words: each has a title that states its finding, a short summary, "
                        "and 'Show these figures as a table'."
                    ),
                    html.Li(
                        "Use it on a phone, or zoomed in, down to 320 pixels wide, without losing content or scrolling sideways."
                    ),
                    html.Li(
                        "See changes in words and arrows (▲ up, ▼ down) as well as colour; every bar and line has "
                        "at least 3:1 contrast with the background and with the marks beside it, and the colours "
                        "stay distinct for the common kinds of colour blindness."
                    ),
                    html.Li(
                        "Present in meeting mode: white on black or dark on white, large type, keyboard controls, "
                        "and a presenter view with the notes."
                    ),
                    html.Li(
                        "Pass each chart in three key presses: a 'Skip to the next chart' link, the table, and one "
                        "menu of downloads. A screen reader hears each chart by its finding and its summary; the "
                        "drawing itself, a string of axis numbers, is hidden from it."
                    ),
                ]
            ),
            html.H2("How accessible it is", className="h4"),
            html.P(
                "The dashboard is designed to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA. "
                "It is tested with the automated axe-core checker (WCAG 2.0, 2.1 and 2.2 A and AA rules, and good "
                "practice) in a real Chromium browser on every page, in several filter states, with the tables "
                "open and in meeting mode, at phone and desktop widths. Any problem the checker finds fails the "
                "build. A keyboard-only test sets filters, opens a table and downloads a chart's data."
            ),
            html.H2("Downloadable documents", className="h4"),
            html.Ul(
                [
                    html.Li(
                        "The PowerPoint board pack uses PowerPoint's own charts and tables, with their figures "
                        "inside, so a screen reader can read them; each chart has alt text stating its finding, "
                        "every slide has a title, a number and the handling mark, and the notes hold the figures "
                        "and caveats. Type is at least 14 point."
                    ),
                    html.Li(
                        "The PDF board pack is a tagged PDF: headings, tables with header cells, and figures "
                        "with alt text, in reading order, with its title and language set."
                    ),
                    html.Li(
                        "Excel downloads hold the figures as an Excel Table with a header row, numbers as numbers "
                        "and dates as dates, and a sheet laid out as the chart shows them. CSV files start with "
                        "lines saying what they hold, then the figures."
                    ),
                ]
            ),
            html.H2("Known limitations", className="h4"),
            html.Ul(
                [
                    html.Li(
                        "The interactive charts themselves (hover, zoom) are drawn by Plotly and are not fully "
                        "usable with a screen reader or keyboard. The same figures are always available as the "
                        "summary under each title and as a table."
                    ),
                    html.Li(
                        "Downloaded chart images (PNG, SVG, PDF) are pictures: the figures they show are in the CSV "
                        "and Excel downloads, and their title, source and caveats are drawn in as text."
                    ),
                    html.Li(
                        "A timeline in the PowerPoint pack is a picture with its finding as alt text, because "
                        "PowerPoint has no native chart that keeps its dates apart."
                    ),
                    html.Li(
                        "Automated testing cannot find every problem; no manual screen-reader audit has yet been done."
                    ),
                ]
            ),
            html.H2("Reporting a problem", className="h4"),
            html.P(
                "If you find something hard to use, tell the board secretariat, who will pass it to the team "
                "that looks after the dashboard. Say which page you were on and what you were trying to do."
            ),
            html.H2("Enforcement", className="h4"),
            html.P(
                "The Equality and Human Rights Commission is responsible for enforcing the Public Sector Bodies "
                "(Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are not happy "
                "with how we respond to your complaint, contact the Equality Advisory and Support Service."
            ),
        ]
    )
