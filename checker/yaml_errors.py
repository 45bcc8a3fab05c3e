"""Where a YAML file goes wrong: shared by every reader of YAML the user writes (waivers, rules, manifests), below
them all."""
from __future__ import annotations

import yaml


def _child(key: str, name: str) -> str:
    if not key:
        return name
    return f"{key}的 {name}" if key.endswith("项") else f"{key}.{name}"


def bad_scalar(text: str) -> str:
    """Where in a YAML text a value fails to build (an impossible date): ` waivers 第 1 项的 expires（第 5 行）`, found
    by composing the node tree (which builds no values) and building each scalar alone."""
    try:
        stack = [(yaml.compose(text), "")]
    except (yaml.YAMLError, RecursionError, ValueError):
        return ""
    while stack:
        node, key = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack.extend((v, _child(key, str(k.value))) for k, v in reversed(node.value))
        elif isinstance(node, yaml.SequenceNode):  # items counted from 1, as a person counts them
            stack.extend((v, f"{key} 第 {i + 1} 项") for i, v in reversed(list(enumerate(node.value))))
        elif isinstance(node, yaml.ScalarNode):
            try:
                yaml.SafeLoader("").construct_object(node)
            except ValueError:
                return f" {key or '（根）'} 的值 {node.value}（第 {node.start_mark.line + 1} 行）"
    return ""
