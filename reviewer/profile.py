"""Load profiles: a built-in name (reviewer/profiles/NAME.toml) or a path to a user's TOML file."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

from reviewer.errors import UsageError
from schemas.profile import Profile

MAX_DEPTH = 8


def builtin_names() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files("reviewer.profiles").iterdir() if p.name.endswith(".toml"))


def _read(name_or_path: str) -> tuple[dict, str]:
    p = Path(name_or_path)
    if name_or_path.endswith(".toml") or p.exists():
        try:
            return tomllib.loads(p.read_text(encoding="utf-8")), str(p)
        except FileNotFoundError:
            raise UsageError(f"找不到配置文件：{name_or_path}") from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise UsageError(f"配置文件 {name_or_path} 无法读取：{e}") from None
    res = resources.files("reviewer.profiles").joinpath(f"{name_or_path}.toml")
    if not res.is_file():
        raise UsageError(f"未知的配置：{name_or_path}（可用：{'、'.join(builtin_names())}，或给出 .toml 文件路径）")
    return tomllib.loads(res.read_text(encoding="utf-8")), f"builtin:{name_or_path}"


def load_profile(name_or_path: str = "national") -> Profile:
    """Load a profile and merge it over the profiles it extends (lists add up, tables override)."""
    chain: list[tuple[dict, str]] = []
    current: str | None = name_or_path
    while current is not None:
        if len(chain) >= MAX_DEPTH:
            raise UsageError(f"配置 {name_or_path} 的 extends 层级过深或有循环")
        data, source = _read(current)
        chain.append((data, source))
        current = data.get("extends")
        if current is None and data.get("name") != "national" and not source.startswith("builtin:"):
            current = "national"  # a user's profile extends national unless it says otherwise
    merged: dict = {}
    for data, _ in reversed(chain):
        for key, value in data.items():
            if key in ("enable", "disable", "required_items") and key in merged:
                merged[key] = merged[key] + list(value)
            elif key in ("deadlines", "phrases") and key in merged:
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
    if "required_items" in merged:  # an item with a base item's key replaces it (keeps its place)
        by_key: dict[str, dict] = {}
        for item in merged["required_items"]:
            by_key[item.get("key", "") if isinstance(item, dict) else ""] = item
        merged["required_items"] = list(by_key.values())
    merged["source"] = chain[0][1]
    merged["lineage"] = [d.get("name") or Path(src).stem for d, src in chain]
    merged.setdefault("name", Path(name_or_path).stem)
    # A later profile's enable re-enables what a base disabled, and vice versa.
    enable, disable = merged.get("enable", []), merged.get("disable", [])
    for data, _ in chain[:1]:
        for code in data.get("enable", []):
            disable = [d for d in disable if d != code]
    merged["disable"] = disable
    merged["enable"] = enable
    try:
        profile = Profile.model_validate(merged)
    except Exception as e:  # pydantic.ValidationError: keep the message short
        raise UsageError(f"配置 {name_or_path} 内容有误：{str(e).splitlines()[0]}") from None
    for item in profile.required_items:
        for pattern in item.patterns:
            try:
                re.compile(pattern)
            except re.error as e:
                raise UsageError(
                    f"配置 {name_or_path} 的必备事项“{item.key}”的用语“{pattern}”不是有效的正则表达式：{e}"
                ) from None
    return profile
