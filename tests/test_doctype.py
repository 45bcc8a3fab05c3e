"""Document type, regime and procurement kind detected from the text, against the corpus labels."""
import pytest
from corpus_cache import NAMES, expected, parsed

from checker.doctype import classify
from checker.ingest.text_reader import read_text
from checker.models import DocFormat, Source
from checker.segment import segment


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("name", NAMES)
def test_corpus_classification(name, fmt):
    cls, exp = classify(parsed(name, fmt)), expected(name)
    assert (cls.doc_type, cls.regime, cls.procurement) == (exp["doc_type"], exp["regime"], exp["procurement"])


@pytest.mark.parametrize("title,doc_type,stage", [
    ("某市第一中学教学楼改扩建工程施工招标文件", "招标文件", "S2"),
    ("某区污水处理厂提标改造工程资格预审文件", "资格预审文件", "S2"),
    ("某市第一中学教学楼改扩建工程招标文件澄清与修改（第1号）", "澄清修改", "S3"),
    ("某市第一中学教学楼改扩建工程施工评标报告", "评标报告", "S4"),
    ("某市第一中学教学楼改扩建工程中标候选人公示", "中标候选人公示", "S5"),
    ("某市第一中学教学楼改扩建工程中标结果公告", "中标结果公告", "S6"),
    ("中标通知书", "中标通知书", "S6"),
    ("建设工程施工合同 合同协议书", "合同", "S7"),
])
def test_titles(title, doc_type, stage):
    doc = segment(read_text(title + "\n招标人：某市第一中学\n", Source(path="t.txt", sha256="0" * 64,
                                                                format=DocFormat.text, size=1)))
    cls = classify(doc)
    assert (cls.doc_type, cls.stage) == (doc_type, stage)
