"""The model-document rules (rules/model/STD-*.yaml) in a document check: which model applies, which STD-* checks
run, and their outcomes. The rules are ordinary rules of the pack, so configuration disables them or changes their
severity like any other; the comparison itself is checker/template/checks.py."""
from __future__ import annotations

import re
from typing import Optional

from ..findings import Finding, Outcome, RuleResult
from ..rules.schema import Rule
from .checks import CHECKS, check_template, check_texts, front_table_blanks, rule_id

TEMPLATE_AUTO = object()  # check(template=…) default: the bundled structure spec where one applies


def model_results(rules: dict[str, Rule], run, template, only: Optional[set[str]]) -> dict[str, RuleResult]:
    """Deviations from the model document: findings go to `run.findings`; returns the STD-* rules' outcomes. Only
    the STD-* rules still in the pack run (a rule the configuration disabled is reported as such elsewhere)."""
    enabled = tuple(rule_id(c) for c in CHECKS if rule_id(c) in rules)
    if only is not None or template is None or not enabled:
        return {}
    if callable(template):  # the caller's choice once the document is classified (checker.session)
        template = template(run.cls)
        if template is None:
            return {}
    if template is TEMPLATE_AUTO:
        template, why = bundled_template_for(run)
        if template is None:
            return _blanks_only(rules, run, why, enabled)
    spec_regime = getattr(getattr(template, "spec", template), "regime", None)
    if spec_regime and spec_regime != run.cls.regime:
        reason = f"示范文本适用于{spec_regime}，本文件为{run.cls.regime}"
        return {rid: RuleResult(rule_id=rid, outcome=Outcome.not_applicable, reason=reason) for rid in enabled}
    found = [f for f in check_template(run.doc, template) if f.rule_id in enabled]
    _keep(rules, run, found, key=lambda f: (f.rule_id, f.clause_id or f.fingerprint))
    with_text = hasattr(template, "clauses")
    out = {}
    for rid in enabled:
        if with_text or rules[rid].model.needs == "spec":
            n = sum(f.rule_id == rid for f in found)
            out[rid] = RuleResult(rule_id=rid, outcome=Outcome.flag if n else Outcome.no_flag, findings=n)
        else:
            out[rid] = RuleResult(rule_id=rid, outcome=Outcome.missing_data,
                                  reason="只有章节规格、没有示范文本，无法比对条款原文")
    return out


def _keep(rules: dict[str, Rule], run, found: list[Finding], key) -> None:
    """Findings join the rules' findings; a severity the configuration set replaces the rule file's."""
    texts = check_texts()
    for f in found:
        rule = rules[f.rule_id]
        if rule.severity != texts[f.rule_id].severity:
            f = f.model_copy(update={"severity": rule.severity})
        run.findings.setdefault(key(f), f)


def bundled_template_for(run):
    """The bundled 2007 chapter-structure spec where it is the model the document follows, else (None, why).

    It fits a 施工 招标文件/资格预审文件 that says it follows the 标准施工招标文件 family and is bound to (依法必须招标
    or not yet known). Goods, services, 勘察设计, enterprise tenders, local model texts and the 范本 themselves have
    structures of their own; a chapter list too short to compare says nothing either way."""
    from . import bundled_spec

    cls, doc = run.cls, run.doc
    spec = bundled_spec(cls.doc_type) if cls.regime == "工程" else None
    if spec is None:
        return None, f"没有适用于{cls.regime}{cls.doc_type}的示范文本"
    if cls.procurement != "工程" or not any("施工" in c.norm for c in doc.clauses[:12]):
        return None, "《标准施工招标文件》只适用于施工招标，本文件不是施工招标文件"
    if cls.model_text:
        return None, "本文件本身是范本/示范文本，章节结构由其发布机关确定"
    if cls.regime_detail in ("其他招标", "企业自主采购"):
        return None, f"本文件为{cls.regime_detail}，不受《标准施工招标文件》约束"
    if not any(re.search(r"标准施工招标文件|标准施工招标资格预审文件", c.norm) for c in doc.clauses):
        return None, "文件未声明采用《标准施工招标文件》，不按其章节结构检查"
    if len(set(doc.coverage.chapters)) < 3:
        return None, f"只识别出{len(set(doc.coverage.chapters))}个章，不足以判断章节结构"
    return spec, ""


def _blanks_only(rules: dict[str, Rule], run, why: str, enabled: tuple[str, ...]) -> dict[str, RuleResult]:
    """Without a model document only the 前附表 blanks can be checked: a model text's blanks are by design."""
    out = {rid: RuleResult(rule_id=rid, outcome=Outcome.not_applicable, reason=why) for rid in enabled}
    blanks = rule_id("blanks_unfilled")
    if blanks not in enabled:
        return out
    if run.cls.model_text:
        out[blanks] = RuleResult(rule_id=blanks, outcome=Outcome.not_applicable, reason="范本中的空白由使用者填写")
        return out
    if run.cls.doc_type not in rules[blanks].doc_types:
        return out
    found = front_table_blanks(run.doc)
    _keep(rules, run, found, key=lambda f: (f.rule_id, f.clause_id))
    out[blanks] = RuleResult(rule_id=blanks, outcome=Outcome.flag if found else Outcome.no_flag, findings=len(found))
    return out
