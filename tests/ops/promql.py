"""Just enough PromQL reading to check dashboards and alert rules against what the services export:
the metric names an expression selects, the label names it matches on, and the ones it groups by.

Not a parser: it strips strings, durations and Grafana variables, then reads identifiers by what
follows them. Good for the expressions in deploy/, which keep to selectors, functions, aggregations
and arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Functions and keywords: an identifier followed by "(" is a function call anyway; these are the
# ones that can also stand without a parenthesis right after them.
KEYWORDS = {
    "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool",
    "offset", "inf", "nan", "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk",
    "bottomk", "quantile", "count_values", "group",
}  # fmt: skip
# Series Prometheus makes itself (per scrape, and from the alert rules), and the labels it adds.
PROMETHEUS_SERIES = {"up", "ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds", "scrape_samples_scraped"}
SCRAPE_LABELS = {"job", "instance"}
_GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")
_SELECTOR = re.compile(r"(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{(?P<matchers>[^}]*)\}")
_MATCHER = re.compile(r"(?P<label>[a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*\"")
_IDENTIFIER = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_GRAFANA_VARIABLE = re.compile(r"\$\{[^}]*\}|\$[a-zA-Z_][a-zA-Z0-9_]*|\[\[[^\]]*\]\]")


@dataclass
class Query:
    metrics: set[str] = field(default_factory=set)
    matched_labels: dict[str, set[str]] = field(default_factory=dict)  # metric -> labels in its {…}
    grouping_labels: set[str] = field(default_factory=set)


def read(expr: str) -> Query:
    """The metrics ``expr`` selects, the labels each selector matches on and the labels it groups by."""
    text = _GRAFANA_VARIABLE.sub("1m", expr)
    query = Query()
    for match in _GROUPING.finditer(text):
        query.grouping_labels |= {label.strip() for label in match.group(2).split(",") if label.strip()}
    text = _GROUPING.sub(" ", text)
    for match in _SELECTOR.finditer(text):
        name = match.group("name")
        labels = {m.group("label") for m in _MATCHER.finditer(match.group("matchers"))}
        if name and name not in KEYWORDS:
            query.matched_labels.setdefault(name, set()).update(labels)
    # Now drop what is not a metric name: label matchers, strings, ranges, numbers, calls.
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r'"(?:[^"\\]|\\.)*"', " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    for match in _IDENTIFIER.finditer(text):
        rest = text[match.end() :].lstrip()
        name = match.group(0)
        if rest.startswith("(") or name.lower() in KEYWORDS or _is_number_part(text, match.start()):
            continue
        query.metrics.add(name)
    return query


def _is_number_part(text: str, start: int) -> bool:
    # "1e3", "0x1f", "5m" after a digit: part of a number or duration, not a name.
    return start > 0 and (text[start - 1].isdigit() or text[start - 1] == ".")
