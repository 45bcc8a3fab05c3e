"""The import graph of checker/ (and cli.py), read with ast: no import cycle, and no import that goes up the layer
order. Imports inside functions count too (a lazy import is still a dependency), TYPE_CHECKING blocks do not.

The layers, lowest first: a module may import its own layer and the layers below.

  0 base        vocabulary, errors, models, text normalisation, sentences, tokenizer, limits, the rule engine binding
  1 ingest      the readers (PDF, DOCX, text, OCR, conversion)
  2 structure   segment (the clause tree), zones, roles; then checker.ingest.parse (read → segment → zones)
  3 facts       typed values, periods, stage facts; the document classifier
  4 rules       the rule schema, loader, matcher, compiler, registry; the configuration that selects them
  5 model       the report model (findings), waivers
  6 checking    templates, the pipeline, the project runner and its facts, evaluation
  7 report      renderers of reports and dossiers, the report schema
  8 session     the Session of every command, the batch, the service
  9 cli         cli.py
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LAYERS: list[tuple[int, tuple[str, ...]]] = [  # most specific prefix wins
    (0, ("checker.vocab", "checker.errors", "checker.models", "checker.normalize", "checker.numbering",
         "checker.tokenize", "checker.limits", "checker.names", "checker.places",
         "checker.engine", "checker.yaml_errors", "checker._durable_compat", "checker.messages", "checker.clickzh",
         "checker.ingest.symbols", "checker.concepts", "checker.regex_cache")),  # symbols: the code tables of symbol fonts, which models reads for check boxes
    (1, ("checker.ingest.",)),
    (2, ("checker.headings", "checker.segment", "checker.zones", "checker.roles", "checker.prohibition")),
    (2.5, ("checker.ingest",)),  # the package itself: parse() = a reader, then segment and zones
    (3, ("checker.facts", "checker.doctype", "checker.bought")),
    (4, ("checker.rules", "checker.config")),
    (5, ("checker.findings", "checker.outcome", "checker.waivers")),
    (6, ("checker.template", "checker.pipeline", "checker.project", "checker.evaluate")),
    (7, ("checker.report", "checker.schemas", "checker.project.render")),  # project.render: the dossier's report
    (8, ("checker.session", "checker.batch", "checker.serve", "checker.project.cli", "checker.feedback")),  # project.cli: the command's glue
    (9, ("cli",)),
]

# Known exceptions, each owned by another change; every one must still exist (a fixed one is removed from here).
KNOWN: set[tuple[str, str]] = set()


def _modules() -> dict[str, Path]:
    found = {"cli": ROOT / "cli.py"}
    for path in (ROOT / "checker").rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skip


def _targets(module: str, node: ast.AST, is_package: bool, modules: dict[str, Path]) -> list[str]:
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            base = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        names = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in modules else prefix for a in node.names]
    out = []
    for name in names:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name and name != module:
            out.append(name)
    return out


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_nodes(tree)
        graph[module] = {t for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                         and id(node) not in skip
                         for t in _targets(module, node, path.name == "__init__.py", modules)}
    return graph


def layer(module: str) -> float:
    best = None
    for level, prefixes in LAYERS:
        for p in prefixes:
            if module == p or module.startswith(p if p.endswith(".") else p + "."):
                if best is None or len(p) > len(best[1]):
                    best = (level, p)
    assert best is not None, f"{module} has no layer: add it to LAYERS in tests/test_layers.py"
    return best[0]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _without_known(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    return {m: {t for t in targets if (m, t) not in KNOWN} for m, targets in graph.items()}


def test_no_import_cycle():
    assert cycles(_without_known(import_graph())) == []


def test_no_upward_import():
    up = sorted(f"{m} (layer {layer(m)}) imports {t} (layer {layer(t)})"
                for m, targets in _without_known(import_graph()).items() for t in targets if layer(t) > layer(m))
    assert up == []


def test_every_known_exception_still_exists():
    graph = import_graph()
    assert [edge for edge in sorted(KNOWN) if edge[1] not in graph[edge[0]]] == []


def test_the_checks_can_fail():
    """The cycle finder and the layer order see what they are meant to see."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert layer("checker.ingest.pdf_reader") < layer("checker.segment") < layer("checker.ingest")
    assert layer("checker.project.render") > layer("checker.project.runner")
    graph = import_graph()
    assert "checker.ingest.pdf_page" in graph["checker.ingest.pdf_tables"]  # relative imports are resolved
    assert "checker.pipeline" in graph["checker.session"]
