"""click's own words in Chinese: its help headings and the usage errors it raises while parsing.

click marks every user-facing string with gettext (``_("Usage:")``, ``ngettext(...)``) and formats it
afterwards, so replacing the ``_``/``ngettext`` its modules call with a lookup in this catalogue turns
the templates themselves into Chinese; a string not listed stays as click wrote it. The command line
then prints a usage error as its one line (``review: 错误：…``), like every other error.
"""

from __future__ import annotations

import importlib

CATALOGUE = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示此帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "deprecated": "已弃用",
    "Aborted!": "已中止。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "用 {command} {option} 查看帮助。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value: {message}": "值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "No such option {name!r}.": "没有选项 {name}。",
    "No such command {name!r}.": "没有命令 {name}。",
    "Did you mean {possibility}?": "是否想用 {possibility}？",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name} 需要一个值。",
    "Option {name!r} does not take a value.": "选项 {name} 不接受值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 需要 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "{value!r} is not {choice}.": "“{value}”不是可选的值（{choice}）。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 超出允许的范围（{range}）。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "“{value}”不是有效的是非值（可用：{states}）。",
    "{name} {filename!r} does not exist.": "{name} “{filename}”不存在。",
    "{name} {filename!r} is a file.": "{name} “{filename}”是文件。",
    "{name} {filename!r} is a directory.": "{name} “{filename}”是目录。",
    "{name} {filename!r} is not readable.": "{name} “{filename}”不可读。",
    "{name} {filename!r} is not writable.": "{name} “{filename}”不可写。",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
    "unknown error": "未知错误",
}
PLURALS = {  # ngettext(singular, plural, n) with n != 1
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
    "(Did you mean one of: {possibilities}?)": "是否想用其中之一：{possibilities}？",
    "{value!r} is not one of {choices}.": "“{value}”不是可选的值（{choices}）之一。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name} 需要 {nargs} 个值。",
    "{value!r} does not match the formats {formats}.": "“{value}”不符合格式（{formats}）。",
}
MODULES = ("core", "exceptions", "parser", "types", "formatting", "decorators")


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return CATALOGUE.get(singular, singular) if n == 1 else PLURALS.get(plural, plural)


def install() -> None:
    """Make click speak Chinese (idempotent)."""
    for name in MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover - a click without that module
            continue
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
