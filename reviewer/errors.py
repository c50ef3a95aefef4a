"""Errors that reach the user as a one-line Chinese message and exit code 2."""


class InputError(Exception):
    """The input cannot be reviewed (unreadable, not text, empty, unsupported format)."""


class UsageError(Exception):
    """The command line or a configuration file is wrong."""


def internal_error(e: BaseException) -> str:
    """The one line an unexpected exception becomes for the user: what happened, in Chinese, and
    never the exception's own text (it may quote the input, or say nothing a user can act on)."""
    if isinstance(e, MemoryError):
        return "内存不足：文件过大或结构过于复杂，无法审核"
    if isinstance(e, RecursionError):
        return "文件结构嵌套过深，无法审核"
    if isinstance(e, ValueError) and "integer string conversion" in str(e):  # Python's 4300-digit guard
        return "文件中有位数过多的数字（超过4300位），无法审核"
    return f"内部错误：审核此文件时程序出错（{type(e).__name__}），请将该文件提供给开发者"
