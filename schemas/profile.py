"""A jurisdiction profile: which rules run, which items are required and how they may be phrased,
and the publication deadlines by agency level. Profiles are data files (TOML), not code."""

from __future__ import annotations

from schemas.record import Record, field


class RequiredItem(Record):
    """An item that must occur in a section, recognised by any of its phrasings (regexes)."""

    key: str
    label: str = field(description="The item's name, as messages show it.")
    section: int = 6
    patterns: list[str] = field(default_factory=list)
    rule: str = field(default="R603", description="The rule code that reports it missing.")
    levels: list[str] = field(
        default_factory=list, description="Agency levels (schemas.facts.AgencyLevel) it applies to; empty: all."
    )
    anywhere: bool = field(default=False, description="Also accepted outside its section.")


class Profile(Record):
    name: str
    description: str = ""
    extends: str | None = None
    enable: list[str] = field(default_factory=list, description="Rule codes or prefixes added to the base.")
    disable: list[str] = field(default_factory=list, description="Rule codes or prefixes switched off.")
    required_items: list[RequiredItem] = field(default_factory=list)
    # Deadline (month, day) of the year after the report year, by agency level (schemas.facts.AgencyLevel).
    deadlines: dict[str, tuple[int, int]] = field(default_factory=dict)
    phrases: dict[str, list[str]] = field(
        default_factory=dict, description="Named phrase lists (regexes) used by generic rules."
    )
    source: str = field(default="", description="Where the profile was loaded from.")
    lineage: list[str] = field(default_factory=list, description="This profile's name and those it extends.")
