"""A rule that catches several kinds of clause explains each in its own words (match.messages): a finding on an old
tax certificate must not lecture on food permits. The rule's own message stays the general one."""
import json

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

import cli
from checker.rules.schema import Match

HEAD = "某学校食堂托管服务招标文件\n第三章 投标人资格要求\n"


def _messages(tmp_path, clause: str) -> dict[str, str]:
    path = tmp_path / "tender.txt"
    path.write_text(HEAD + clause + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["check", str(path), "--format", "json", "--date", "2024-01-01"])
    assert result.exit_code in (0, 1), (result.output, result.exception)
    return {f["rule_id"]: f["message"] for f in json.loads(result.stdout)["findings"]}


@pytest.mark.parametrize("clause, says, not_says", [
    ("（1）须提供税务登记证复印件。", "多证合一", "食品经营许可证"),
    ("（1）须具有有效的餐饮服务许可证。", "食品经营许可证", "多证合一"),
    ("（1）营业执照须经年检合格。", "年度报告", "食品经营许可证"),
])
def test_superseded_licence_explains_the_kind_it_found(tmp_path, clause, says, not_says):
    message = _messages(tmp_path, clause)["DQ-SUPERSEDED-LICENCE"]
    assert says in message and not_says not in message


def test_local_enrolment_is_not_called_a_registration(tmp_path):
    enrol = _messages(tmp_path, "（1）省外企业须办理入省诚信登记。")["DQ-LOCAL-REGISTRATION"]
    registered = _messages(tmp_path, "（1）投标人须为本市注册企业。")["DQ-LOCAL-REGISTRATION"]
    assert "诚信登记" in enrol and enrol != registered


def test_a_broken_kind_pattern_is_refused_at_load():
    with pytest.raises(ValidationError):
        Match(patterns=["本地"], cues=["本地"], messages=[{"when": "(", "message": "x"}])
