"""Errors that reach the user as a one-line Chinese message and exit code 2."""


class InputError(Exception):
    """The input cannot be reviewed (unreadable, not text, empty, unsupported format)."""


class ModelFailure(InputError):
    """``--strict-llm``: the model could not extract the facts, and the rules may not stand in. The
    file is an error (never stored: the next run asks the model again)."""


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


_EXPECTED = {
    "string_type": "应为文本", "int_type": "应为整数", "int_parsing": "应为整数", "int_from_float": "应为整数",
    "float_type": "应为数字", "float_parsing": "应为数字", "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false", "list_type": "应为列表", "tuple_type": "应为列表", "dict_type": "应为表",
    "too_short": "项数不够", "too_long": "项数过多", "missing": "缺失", "extra_forbidden": "是未知的字段",
    "json_invalid": "不是有效的 JSON", "json_type": "不是 JSON", "enum": "不是可选的值", "literal_error": "不是可选的值",
    "model_type": "应为对象", "model_attributes_type": "应为对象",
}


def validation_problem(e: Exception, *, limit: int = 3) -> str:
    """A pydantic ValidationError as one Chinese clause: where and what is wrong, for the first few
    errors (``字段“deadlines.部门”应为列表；…``); any other exception by its type only."""
    errors = getattr(e, "errors", None)
    try:
        items = errors() if callable(errors) else []
    except Exception:  # noqa: BLE001 - not a pydantic error after all
        items = []
    if not items:
        return f"内容无法解析（{type(e).__name__}）"
    parts = []
    for item in items[:limit]:
        where = ".".join(str(x) for x in item.get("loc", ()) if x != "__root__")
        what = _EXPECTED.get(item.get("type", ""))
        if what is None:  # a validator's own message (ours are Chinese) or an unlisted check
            what = "不符合要求：" + str(item.get("msg", "")).removeprefix("Value error, ")[:120]
        parts.append(f"字段“{where}”{what}" if where else what)
    more = f"等 {len(items)} 处" if len(items) > limit else ""
    return "；".join(parts) + more
