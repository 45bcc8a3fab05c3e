"""Validation errors as a reader reads them: pydantic's and Python's date messages are English and count list items
from 0; a waivers file, a project manifest or a registration record is written by a person who counts from 1."""
from __future__ import annotations

# pydantic's error types in the reader's words
PROBLEMS = {"extra_forbidden": "未知字段", "missing": "缺少此字段", "string_type": "应为文字",
            "date_type": "应为日期（YYYY-MM-DD）", "date_parsing": "应为日期（YYYY-MM-DD）",
            "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）", "date_from_datetime_inexact": "应为日期（不含时刻）",
            "datetime_type": "应为日期或日期时间", "datetime_parsing": "应为日期或日期时间",
            "datetime_from_date_parsing": "应为日期或日期时间", "list_type": "应为列表", "dict_type": "应为键值表",
            "model_type": "应为键值表", "string_too_short": "不能为空", "int_parsing": "应为整数",
            "int_type": "应为整数", "float_parsing": "应为数值", "float_type": "应为数值", "bool_parsing": "应为 true 或 false",
            "bool_type": "应为 true 或 false", "literal_error": "不是可用的值", "enum": "不是可用的值",
            "greater_than_equal": "数值太小", "less_than_equal": "数值太大", "greater_than": "数值太小",
            "less_than": "数值太大"}
VALUE_PROBLEMS = [("day is out of range", "该月没有这一天"), ("month must be", "月份应为 1–12"),
                  ("year", "年份超出范围"), ("hour must be", "时刻无效"), ("minute must be", "时刻无效"),
                  ("second must be", "时刻无效")]


def describe_loc(loc, drop: tuple[str, ...] = ()) -> str:
    """("documents", 0, "dates") → `documents 第 1 项的 dates`."""
    out = ""
    after_item = False
    for p in loc:
        if p in drop and not out:
            continue
        if isinstance(p, int):
            out += f" 第 {p + 1} 项"
            after_item = True
        else:
            out += (f"的 {p}" if after_item else f".{p}" if out else str(p))
            after_item = False
    return out.strip()


def problem(err: dict) -> str:
    if err["type"] == "value_error":  # our own validators' messages, already Chinese
        return str(err["msg"]).removeprefix("Value error, ")
    return PROBLEMS.get(err["type"], err["msg"])


def where_invalid(err: dict, drop: tuple[str, ...] = ()) -> str:
    """` 第 2 项的 expires 无效：应为日期（YYYY-MM-DD）` (with the leading space, after 豁免文件 / 清单文件)."""
    where = describe_loc(err["loc"], drop)
    return f" {where} 无效：{problem(err)}" if where else f"无效：{problem(err)}"


def value_problem(exc: Exception) -> str:
    """Python's date errors (English) in the reader's words."""
    text = str(exc)
    return next((zh for en, zh in VALUE_PROBLEMS if en in text), "不是有效的日期或数值")
