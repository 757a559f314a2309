"""Descriptions of a dataset for machines: W3C CSVW metadata for its CSV, and a schema.org ``Dataset``
(JSON-LD) for its page, as the UK government's open standards recommend for published CSV.

Both describe the dataset at one version. Pure functions: addresses and the licence are given.
"""

from __future__ import annotations

import pandas as pd

from data import schema
from data.loader import DatasetInfo, DataStore
from data.rows import API_COLUMNS

#: What the licence says when no licence is set: the sources state none for these figures.
LICENCE_NOT_STATED = "Not stated by the source publications; see each publication's own terms."

_EXTRA = {
    "dataset": "The dataset's name.",
    "publication": "The id of the publication the figure comes from (see the publications listing).",
    "revised_from": "Where a later publication changed the figure: the earlier figure and publication, in words.",
}
_TYPES = {"value": "number", "period_start": "date", "period_end": "date"}


def column_descriptions() -> dict[str, str]:
    described = {c.name: c.help for c in schema.COLUMNS}
    return {col: described.get(col, _EXTRA.get(col, "")) for col in API_COLUMNS}


def _publications(store: DataStore, info: DatasetInfo) -> list[dict[str, str]]:
    pubs = [store.publications[p] for p in info.publications if p in store.publications]
    return [{"id": p.id, "title": p.title, "publisher": p.publisher, "date": p.date.iso, "link": p.link} for p in pubs]


def csvw(store: DataStore, info: DatasetInfo, csv_url: str) -> dict:
    """CSVW metadata (``<name>.csv-metadata.json``) for the dataset's CSV at ``csv_url``."""
    described = column_descriptions()
    columns = []
    for col in API_COLUMNS:
        entry = {
            "name": col,
            "titles": col,
            "dc:description": described[col],
            "datatype": _TYPES.get(col, "string"),
        }
        if col in ("dataset", *schema.KEY_COLUMNS[:1], "unit", "qualifier", "source"):
            entry["required"] = True
        columns.append(entry)
    out = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": csv_url,
        "dc:title": info.title,
        "dc:description": info.description,
        "dc:subject": info.topic,
        "dc:modified": info.updated.isoformat(),
        "dcat:keyword": [info.topic],
        "schema:version": str(store.version) if store.version is not None else "draft",
        "schema:accessRights": info.marking,
        "dc:source": _publications(store, info),
        "dialect": {"header": True, "encoding": "utf-8"},
        "tableSchema": {
            "columns": columns,
            "primaryKey": ["dataset", *schema.KEY_COLUMNS],
        },
        "null": "",
    }
    return out


def temporal_coverage(frame: pd.DataFrame) -> str:
    """'2019-04-01/2020-12-31': the first start to the last end of the dataset's periods ('' if none)."""
    starts = pd.to_datetime(frame["period_start"], errors="coerce").dropna()
    ends = pd.to_datetime(frame["period_end"], errors="coerce").dropna()
    if starts.empty and ends.empty:
        return ""
    first = (starts if not starts.empty else ends).min().date().isoformat()
    last = (ends if not ends.empty else starts).max().date().isoformat()
    return first if first == last else f"{first}/{last}"


def dataset_jsonld(store: DataStore, info: DatasetInfo, page_url: str, csv_url: str, licence_url: str = "") -> dict:
    """A schema.org ``Dataset`` description of the dataset's page."""
    out = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": info.title,
        "description": info.description,
        "url": page_url,
        "dateModified": info.updated.isoformat(),
        "version": str(store.version) if store.version is not None else "draft",
        "keywords": [info.topic],
        "isAccessibleForFree": True,
        "license": licence_url or {"@type": "CreativeWork", "name": LICENCE_NOT_STATED},
        "citation": [f"{p['title']} ({p['publisher']}, {p['date']})" for p in _publications(store, info)],
        "distribution": [{"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": csv_url}],
    }
    coverage = temporal_coverage(store.dataset(info.name))
    if coverage:
        out["temporalCoverage"] = coverage
    return out
