"""Plain-English meanings of the terms a lay board member meets, shown on every page."""

from __future__ import annotations

from dash import html

GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        "Disruption",
        "Action by the regional organised crime unit that reduces, for a time, the ability of an organised crime "
        "group or person to offend, or that lessens a threat or vulnerability.",
    ),
    (
        "Lead and support",
        "A lead disruption is one the unit ran itself; a support disruption is one where it helped a force or "
        "another agency.",
    ),
    (
        "CONTEST and the 4Ps (strands)",
        "The UK's counter-terrorism strategy, in four strands: Pursue (stop attacks), Prevent (stop people "
        "becoming terrorists), Protect (strengthen defences) and Prepare (lessen the impact). The regional "
        "organised crime unit reports its disruptions under the same four headings.",
    ),
    ("ROCUWM", "The Regional Organised Crime Unit for the West Midlands region."),
    (
        "The unit's teams",
        "RECU is the Regional Economic Crime Unit; RCCU the Regional Cyber Crime Unit, with RDOT, its dark web "
        "team; TIDU the Technical Intelligence Development Unit; CDIU the Communications Data Investigation Unit.",
    ),
    ("CTP WMCTU", "Counter Terrorism Policing West Midlands, the regional counter terrorism unit."),
    ("Handle", "The user name by which someone was known on the EncroChat phone network."),
    (
        "Channel",
        "The multi-agency programme that supports people judged at risk of being drawn into terrorism. A Prevent "
        "referral may be discussed at a Channel panel and adopted as a case.",
    ),
    ("County line", "A phone line used to sell drugs from a city into other areas, often by exploiting young people."),
    ("POPS", "Public Order Public Safety: policing protests, football and other large events."),
    ("PCC", "Police and Crime Commissioner: the elected person who holds the force to account and sets its budget."),
    ("HMICFRS", "His Majesty's Inspectorate of Constabulary and Fire and Rescue Services, which inspects forces."),
)


def glossary_list() -> html.Dl:
    return html.Dl([item for term, text in GLOSSARY for item in (html.Dt(term), html.Dd(text))], className="glossary")


def glossary_box() -> html.Details:
    """A closed 'What the terms mean' box for the top of a page."""
    return html.Details([html.Summary("What the terms mean"), glossary_list()], className="glossary-box")
