"""What a rule may read. The 人员要求 role: a clause under a staff heading, table or row is about a person, and a rule may decline to read
it (`unless_roles`). Only the nearest heading counts: a 资格要求 chapter that names 项目经理 somewhere does not make
every item a staff requirement. Sentences are written for the test; the real case is bench/unseen d3. And a rule bound to a procurement kind, on a
document whose kind is unknown."""
from checker.models import Clause, ClauseKind, Location
from checker.pipeline import in_scope
from checker.roles import roles_of
from checker.rules.loader import load_pack

RULES = {r.id: r for r in load_pack().rules}


def _clause(text: str, headings: list[str], header: list[str] | None = None) -> Clause:
    return Clause(id="c1", kind=ClauseKind.paragraph, text=text, norm=text, level=2, heading_path=headings,
                  table_header=header, location=Location(page=1))


def test_nearest_staff_heading_gives_the_role():
    c = _clause("或具有从事3年及以上同类工程施工管理经验。", ["第一章 招标公告", "3.2 项目经理业绩要求"])
    assert "人员要求" in roles_of(c)


def test_outer_staff_heading_does_not():
    c = _clause("投标人成立满3年。", ["3. 投标人资格要求（含项目经理）", "3.1 企业资格"])
    assert "人员要求" not in roles_of(c)


def test_staff_table_header_gives_the_role():
    c = _clause("具有从事2年及以上同类工程施工质量管理经历。", ["资格要求"], header=["序号", "岗位", "任职条件"])
    assert "人员要求" in roles_of(c)


def test_unless_roles_keeps_the_rule_off_a_staff_clause_only():
    rule = RULES["DQ-ESTABLISHMENT-YEARS"]
    assert not in_scope(rule, {"资格条件", "人员要求"})
    assert in_scope(rule, {"资格条件"})
    other = RULES["DQ-LOCAL-REGISTRATION"]
    assert in_scope(other, {"资格条件", "人员要求"})  # a neutral role: other rules read the clause as before
    assert in_scope(other, {"人员要求"})


def test_a_kind_bound_absence_rule_says_missing_data_when_the_kind_is_unknown():
    """PUB-GP-CORE-PRODUCT-MISSING reads only 货物: on a document whose kind was not settled (a batch title) it cannot
    be told whether it applies — 缺少数据, not 不适用."""
    from checker.rules.runner import Subject, not_applicable, unsettled

    rule = RULES["PUB-GP-CORE-PRODUCT-MISSING"]
    unknown = Subject(regime="政府采购", procurement=None, doc_type="招标文件")
    assert not not_applicable(rule, unknown)
    assert unsettled(rule, unknown).startswith("缺少数据")
    assert not_applicable(rule, Subject(regime="政府采购", procurement="服务", doc_type="招标文件"))


def test_a_kind_bound_comparison_says_missing_data_when_the_kind_is_unknown():
    """BOND-QUALITY-CAP compares only in 工程 (建设工程质量保证金管理办法): a 工程-regime document of unknown kind is
    缺少数据; one known to be 货物 is 不适用."""
    from checker.rules.runner import Subject, not_applicable, unsettled

    rule = RULES["BOND-QUALITY-CAP"]
    unknown = Subject(regime="工程", procurement=None, doc_type="招标文件")
    assert not not_applicable(rule, unknown)
    assert unsettled(rule, unknown).startswith("缺少数据")
    assert not_applicable(rule, Subject(regime="工程", procurement="货物", doc_type="招标文件"))
    assert not unsettled(rule, Subject(regime="工程", procurement="工程", doc_type="招标文件"))
