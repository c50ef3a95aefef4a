"""A jurisdiction profile: which rules run, which items are required and how they may be phrased,
and the publication deadlines by agency level. Profiles are data files (TOML), not code."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RequiredItem(BaseModel):
    """An item that must occur in a section, recognised by any of its phrasings (regexes)."""

    key: str
    label: str = Field(description="The item's name, as messages show it.")
    section: int = 6
    patterns: list[str] = Field(default_factory=list)
    rule: str = Field(default="R603", description="The rule code that reports it missing.")
    levels: list[str] = Field(
        default_factory=list, description="Agency levels (schemas.facts.AgencyLevel) it applies to; empty: all."
    )
    anywhere: bool = Field(default=False, description="Also accepted outside its section.")


class Profile(BaseModel):
    name: str
    description: str = ""
    extends: str | None = None
    enable: list[str] = Field(default_factory=list, description="Rule codes or prefixes added to the base.")
    disable: list[str] = Field(default_factory=list, description="Rule codes or prefixes switched off.")
    required_items: list[RequiredItem] = Field(default_factory=list)
    # Deadline (month, day) of the year after the report year, by agency level (schemas.facts.AgencyLevel).
    deadlines: dict[str, tuple[int, int]] = Field(default_factory=dict)
    phrases: dict[str, list[str]] = Field(
        default_factory=dict, description="Named phrase lists (regexes) used by generic rules."
    )
    source: str = Field(default="", description="Where the profile was loaded from.")
    lineage: list[str] = Field(default_factory=list, description="This profile's name and those it extends.")
