"""Online routine checks across a project's documents (`tendercheck project DIR`).

A dossier (案卷) is a directory of one project's documents of every stage — 招标公告, 招标文件, 澄清, 评标报告,
中标候选人公示, 中标结果公告, 中标通知书, 合同, 合同公告, 保证金退还记录 — with an optional manifest and the
registration record. Each document is classified (manifest first), checked by the per-document rule pack, and read
for the values later stages are checked against; the project rules (rules/project/*.yaml) then compare documents
with each other and with the law's periods, stage by stage.

    from checker.project import ProjectChecker
    report = ProjectChecker().check_dir(Path("corpus/projects/works_violations"))
"""
from .report import ProjectReport
from .runner import ProjectChecker, load_project_pack

__all__ = ["ProjectChecker", "ProjectReport", "load_project_pack"]
