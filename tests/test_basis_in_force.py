"""A finding cites only the provisions in force on its document's date (bench/unseen y4: a 2018 works notice's bond
finding printed the 2025 保障中小企业款项支付条例 and the 2020 优化营商环境条例)."""
from datetime import date

from checker.ingest.text_reader import read_text
from checker.models import DocFormat, Source
from checker.outcome import bases_in_force
from checker.rules.loader import load_pack
from checker.segment import segment

BOND = "第二章 投标人须知\n投标保证金必须从投标人基本账户以银行转账方式缴纳，不接受保函。\n"


def _doc(text: str):
    return segment(read_text(text, Source(path="t.txt", sha256="0" * 64, format=DocFormat.text, size=len(text))))


def _laws(report) -> list[str]:
    finding = next(f for f in report.findings if f.rule_id == "BOND-FORM-RESTRICTED")
    return [b.law for b in finding.basis]


def test_a_2018_document_is_not_judged_by_later_provisions(checker):
    old = _laws(checker.check(_doc(BOND), regime="工程", doc_type="招标文件", on_date=date(2018, 9, 1),
                              only={"BOND-FORM-RESTRICTED"}))
    new = _laws(checker.check(_doc(BOND), regime="工程", doc_type="招标文件", on_date=date(2025, 9, 1),
                              only={"BOND-FORM-RESTRICTED"}))
    assert not any("款项支付" in law or "优化营商环境" in law for law in old)
    assert any("款项支付" in law for law in new) and any("优化营商环境" in law for law in new)


def test_every_basis_when_none_would_be_left_or_the_date_is_unknown():
    rule = next(r for r in load_pack().rules if r.id == "BOND-FORM-RESTRICTED")
    undated = [b for b in rule.basis if b.in_force_from is None]
    assert undated and len(undated) < len(rule.basis)
    assert bases_in_force(rule, None) == rule.basis
    assert bases_in_force(rule, date(1990, 1, 1)) == undated
    all_dated = rule.model_copy(update={"basis": [b.model_copy(update={"in_force_from": date(2025, 6, 1)})
                                                  for b in rule.basis]})
    assert bases_in_force(all_dated, date(1990, 1, 1)) == all_dated.basis  # a finding cites something


def _finding(checker, regime: str, on: date):
    report = checker.check(_doc(BOND), regime=regime, doc_type="招标文件", on_date=on, only={"BOND-FORM-RESTRICTED"})
    return next(f for f in report.findings if f.rule_id == "BOND-FORM-RESTRICTED")


def test_a_provision_of_the_other_regime_is_not_cited():
    rule = next(r for r in load_pack().rules if r.id == "BOND-FORM-RESTRICTED")
    works = [b.law for b in bases_in_force(rule, date(2025, 9, 1), "工程")]
    purchase = [b.law for b in bases_in_force(rule, date(2025, 9, 1), "政府采购")]
    assert not any("政府采购法实施条例" in law for law in works)
    assert any("政府采购法实施条例" in law for law in purchase)


def test_违法_needs_a_binding_provision_in_force_for_the_regime(checker):
    # 2018 works notice: the 条例 were not yet in force and 政府采购法实施条例 does not govern a 工程 招标 — only the 2016
    # 国办 通知 reached the clause, so it is 不合理 (bench/unseen y4); the same clause in 2025, or in a 政府采购 document
    # of 2018 (实施条例第三十三条 binds it), is 违法
    assert _finding(checker, "工程", date(2018, 9, 1)).severity.value == "warning"
    assert _finding(checker, "工程", date(2025, 9, 1)).severity.value == "error"
    assert _finding(checker, "政府采购", date(2018, 9, 1)).severity.value == "error"


def test_a_rule_citing_policy_alone_keeps_its_authors_severity():
    rule = next(r for r in load_pack().rules if r.id == "BOND-FORM-RESTRICTED")
    policy_only = rule.model_copy(update={"basis": [b for b in rule.basis if not b.binding]})
    from checker.outcome import no_binding_basis_left
    assert policy_only.basis and not no_binding_basis_left(policy_only, policy_only.basis)
    assert no_binding_basis_left(rule, [b for b in rule.basis if not b.binding])
