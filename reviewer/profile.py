"""Load profiles: a built-in name (reviewer/profiles/NAME.toml) or a path to a user's TOML file."""

from __future__ import annotations

import re
from pathlib import Path

from reviewer.errors import InputError, UsageError, validation_problem
from schemas.profile import Profile, RequiredItem

MAX_DEPTH = 8
MAX_BYTES = 1 << 20  # a profile is a few kilobytes
MAX_PATTERN = 300  # characters of one phrasing
BIG_REPEAT = 100  # a repeat allowing more than this is "unbounded" (at most one per phrasing)


def _builtins():
    """The folder of the built-in profiles: the package's own files, or importlib.resources when
    the package is not on a file system (a zip); importlib.resources costs ~8 ms of a cold start."""
    here = Path(__file__).with_name("profiles")
    if here.is_dir():
        return here
    from importlib import resources

    return resources.files("reviewer.profiles")


def builtin_names() -> list[str]:
    return sorted(p.name[:-5] for p in _builtins().iterdir() if p.name.endswith(".toml"))


def _read(name_or_path: str) -> tuple[dict, str]:
    """A built-in profile by name, or a TOML file — a regular file (not a FIFO or a device, which
    would never end) of at most MAX_BYTES."""
    from reviewer.ingest import read_bytes

    p = Path(name_or_path)
    if name_or_path.endswith(".toml") or p.exists() or p.is_symlink():
        import tomllib

        if p.is_file() and p.stat().st_size > MAX_BYTES:
            raise UsageError(f"配置文件 {name_or_path} 过大（超过 {MAX_BYTES // 1024} KB）")
        try:
            return tomllib.loads(read_bytes(p).decode("utf-8")), str(p)
        except InputError as e:
            if "不存在" in str(e):
                raise UsageError(f"找不到配置文件：{name_or_path}") from None
            raise UsageError(f"配置文件 {name_or_path} 无法读取：{e}") from None
        except UnicodeDecodeError:
            raise UsageError(f"配置文件 {name_or_path} 无法读取：不是 UTF-8 文本") from None
        except tomllib.TOMLDecodeError as e:
            raise UsageError(f"配置文件 {name_or_path} 无法读取：{e}") from None
    res = _builtins().joinpath(f"{name_or_path}.toml")
    if not res.is_file():
        raise UsageError(f"未知的配置：{name_or_path}（可用：{'、'.join(builtin_names())}，或给出 .toml 文件路径）")
    return _builtin(res), f"builtin:{name_or_path}"


def _builtin(res) -> dict:
    """A built-in profile's TOML, parsed once per change of the file: the parsed data are kept in
    reviewer/__pycache__ (reviewer.pycache), keyed by the file's mtime and size as a .pyc is, which
    saves importing tomllib and parsing (~5 ms of a cold start)."""
    if isinstance(res, Path):
        from reviewer import pycache

        st = res.stat()
        file = pycache.path(f"profile.{res.stem}")
        made_from = pycache.header("profile", str(res), st.st_mtime_ns, st.st_size)
        data = pycache.read(file, made_from)
        if type(data) is not dict:
            data = _parse(res.read_text(encoding="utf-8"))
            pycache.write(file, made_from, data)
        return data
    return _parse(res.read_text(encoding="utf-8"))  # importlib.resources (a zip)


def _parse(text: str) -> dict:
    import tomllib

    return tomllib.loads(text)


def load_profile(name_or_path: str = "national") -> Profile:
    """Load a profile and merge it over the profiles it extends (lists add up, tables override)."""
    chain: list[tuple[dict, str]] = []
    current: str | None = name_or_path
    while current is not None:
        if len(chain) >= MAX_DEPTH:
            raise UsageError(f"配置 {name_or_path} 的 extends 层级过深或有循环")
        try:
            data, source = _read(current)
        except UsageError as e:
            if not chain:
                raise
            raise UsageError(f"配置 {chain[-1][1]} 的 extends：{e}") from None
        _check_keys(data, source)
        chain.append((data, source))
        current = data.get("extends")
        if current is not None and not isinstance(current, str):
            raise UsageError(f"配置 {source} 的 extends 应为内置配置名称或 .toml 文件路径")
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
    if all(source.startswith("builtin:") for _, source in chain):
        profile = builtin_profile(merged)
    else:
        try:
            profile = Profile.model_validate(merged)
        except Exception as e:  # pydantic.ValidationError: one Chinese clause
            raise UsageError(f"配置 {name_or_path} 内容有误：{validation_problem(e)}") from None
    _check_values(profile, name_or_path)
    for item in profile.required_items:
        for pattern in item.patterns:
            if problem := pattern_problem(pattern):
                raise UsageError(f"配置 {name_or_path} 的必备事项“{item.key}”的用语“{pattern[:60]}”不可用：{problem}")
    for key, phrases in profile.phrases.items():
        for pattern in phrases:
            if problem := pattern_problem(pattern):
                raise UsageError(f"配置 {name_or_path} 的用语表“{key}”中的“{pattern[:60]}”不可用：{problem}")
    return profile


def builtin_profile(merged: dict) -> Profile:
    """A built-in profile as a record, without validation: the built-ins are the package's own data
    (tests/test_profiles.py checks that validating them gives the same profile), and a rules-only
    review does not import pydantic. A user's profile file is validated (Profile.model_validate)."""
    data = dict(merged)
    data["required_items"] = [RequiredItem(**item) for item in data.get("required_items", [])]
    data["deadlines"] = {level: tuple(md) for level, md in data.get("deadlines", {}).items()}
    return Profile(**data)


SETTINGS = [k for k in Profile.model_fields if k not in ("source", "lineage")]
ITEM_SETTINGS = list(RequiredItem.model_fields)


def _nearest(word: str, choices: list[str]) -> str:
    import difflib

    near = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f"，是否想用“{near[0]}”？" if near else f"（可用：{'、'.join(choices)}）"


def _check_keys(data: dict, source: str) -> None:
    """A misspelt setting (``disabel``) would be ignored silently: a usage error naming the nearest."""
    where = source.removeprefix("builtin:")
    for key in data:
        if key not in SETTINGS:
            raise UsageError(f"配置 {where}：未知的设置“{key}”{_nearest(key, SETTINGS)}")
    for item in data.get("required_items") or []:
        for key in item if isinstance(item, dict) else ():
            if key not in ITEM_SETTINGS:
                raise UsageError(f"配置 {where}：必备事项中未知的设置“{key}”{_nearest(key, ITEM_SETTINGS)}")


def _check_values(profile: Profile, name: str) -> None:
    """Rule codes, agency levels and deadlines a rule would otherwise meet on every report."""
    import datetime as dt

    from reviewer.rules.base import REGISTRY, all_rules, check_codes
    from schemas.facts import AgencyLevel

    levels = [lv.value for lv in AgencyLevel]
    check_codes([c.strip().upper() for c in (*profile.enable, *profile.disable)], f"配置 {name}：")
    codes = [cls.code for cls in all_rules()]
    for item in profile.required_items:
        if item.rule not in REGISTRY:
            raise UsageError(f"配置 {name}：必备事项“{item.key}”的规则“{item.rule}”不存在{_nearest(item.rule, codes)}")
        for level in item.levels:
            if level not in levels:
                raise UsageError(f"配置 {name}：必备事项“{item.key}”中未知的机关层级“{level}”{_nearest(level, levels)}")
    for level, (month, day) in profile.deadlines.items():
        if level not in levels:
            raise UsageError(f"配置 {name}：deadlines 中未知的机关层级“{level}”{_nearest(level, levels)}")
        try:
            dt.date(2023, month, day)  # a year without 29 February: the deadline must exist every year
        except ValueError:
            raise UsageError(f"配置 {name}：“{level}”的截止日期 [{month}, {day}] 不是每年都有的日期（应为 [月, 日]）") from None


def pattern_problem(pattern: str) -> str | None:
    """Why a profile's phrasing may not be used, or None. Phrasings are regular expressions run on
    every report, so they are held to a restricted syntax that cannot backtrack catastrophically:
    no backreferences; a repeat (``*``, ``+``, ``{m,n}`` with n > 1) only of a single character, a
    character class or a fixed string — never of a group holding another repeat or an alternation
    (``(a+)+``, ``(x|xy)*``); at most one repeat allowing more than BIG_REPEAT; at most MAX_PATTERN
    characters."""
    import re._parser as sre

    if len(pattern) > MAX_PATTERN:
        return f"正则表达式过长（超过{MAX_PATTERN}个字符）"
    try:
        parsed = sre.parse(pattern)
    except (re.error, RecursionError, OverflowError) as e:
        return f"不是有效的正则表达式（{e}）"
    big = 0

    def walk(items, in_repeat: bool) -> str | None:
        nonlocal big
        for op, av in items:
            name = str(op)
            if name in ("GROUPREF", "GROUPREF_EXISTS"):
                return "正则表达式不能使用反向引用或条件分组"
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                _, hi, body = av
                if hi > 1:
                    if in_repeat:
                        return "正则表达式不能嵌套重复（如 (a+)+），这会导致回溯爆炸"
                    if hi > BIG_REPEAT:
                        big += 1
                        if big > 1:
                            return f"正则表达式中不限次数（或超过{BIG_REPEAT}次）的重复最多一处"
                    if _has_group_branch(body):
                        return "正则表达式不能重复含有“|”的分组（如 (a|ab)*），这会导致回溯爆炸"
                if problem := walk(body, in_repeat or hi > 1):
                    return problem
            elif name == "SUBPATTERN":
                if problem := walk(av[-1], in_repeat):
                    return problem
            elif name == "BRANCH":
                for branch in av[1]:
                    if problem := walk(branch, in_repeat):
                        return problem
            elif name in ("ASSERT", "ASSERT_NOT"):
                if problem := walk(av[1], in_repeat):
                    return problem
            elif name == "ATOMIC_GROUP":
                if problem := walk(av, in_repeat):
                    return problem
        return None

    return walk(parsed, False)


def _has_group_branch(items) -> bool:
    for op, av in items:
        name = str(op)
        if name == "BRANCH":
            return True
        if name == "SUBPATTERN" and _has_group_branch(av[-1]):
            return True
    return False
