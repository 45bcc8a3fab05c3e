"""Document type, regime and procurement kind, guessed from the text (overridable from the command line)."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Optional

from .bought import MIXED, procurement_kind, volume_kind
from .facts.stage import closing_date
from .models import Document
from .vocab import GOV_REGIMES, REGIMES_DETAILED, STAGE_OF_TYPE, TITLE_TYPES

# Most specific first: a 资格预审文件 also says 招标; a 中标候选人公示 also says 中标.
_TYPES = [
    ("中标通知书", re.compile(r"中标通知书")),
    ("中标候选人公示", re.compile(r"中标候选人公示|评标结果公示|成交候选人公示")),
    ("中标结果公告", re.compile(r"中标结果公[告示]|成交结果公[告示]|中标公告|成交公告")),
    ("评标报告", re.compile(r"评标报告|评审报告")),
    ("澄清修改", re.compile(r"澄清|答疑|修改通知|补充通知|更正公告")),
    ("资格预审文件", re.compile(r"资格预审文件")),
    ("资格预审公告", re.compile(r"资格预审公告")),
    ("合同", re.compile(r"合同协议书|^.{0,20}合同$")),
    ("招标文件", re.compile(r"招标文件|采购文件|磋商文件|谈判文件")),
    ("招标公告", re.compile(r"招标公告|采购公告|投标邀请")),
]
@dataclass(frozen=True)
class Classification:
    doc_type: str
    regime: str  # 工程 (招标投标法) / 政府采购
    procurement: Optional[str]
    procedure: Optional[str] = None  # vocab.PROCEDURES; None when the document does not say
    regime_detail: Optional[str] = None  # vocab.REGIMES_DETAILED; None when the document does not settle it
    doc_date: Optional[date] = None  # issue date, else the deadline; None when neither was found
    date_source: str = ""  # which date doc_date is (公告发布 / 文件获取开始 / 投标截止)
    model_text: bool = False  # the document is itself a 范本/示范文本 (blanks are by design)
    evidence: tuple[tuple[str, str], ...] = ()  # (what, the words that decided it), for the report

    @property
    def stage(self) -> str:
        return STAGE_OF_TYPE.get(self.doc_type, "S2")


# Procedures by the words documents use for them, most specific first. Counted in the head (title, notice) with a
# weight, then in the body: a 磋商文件 mentions 招标 in quoted law, a 招标文件 rarely says 磋商.
_PROCEDURES = [
    ("竞争性磋商", r"竞争性磋商|磋商文件|磋商公告|磋商小组|响应人须知"),
    ("竞争性谈判", r"竞争性谈判|谈判文件|谈判公告|谈判小组"),
    ("询价", r"询价(采购|公告|通知书|文件)"),
    ("单一来源", r"单一来源(?!采购人员)"),  # 评审专家（单一来源采购人员）名单 is a heading of every result template
    ("框架协议", r"框架协议采购"),
    ("比选", r"比选(文件|公告|人|申请)"),
    ("竞价", r"竞价(文件|公告|采购)"),
    ("询比", r"询比(文件|公告|采购)"),
    ("其他", r"寻源(公告|采购|文件)"),  # a firm's own sourcing (华润 寻源公告): none of the statutes' procedures
    ("邀请招标", r"邀请招标"),  # not 投标邀请书: open tenders after 资格预审 send one too
    ("公开招标", r"公开招标"),
]
# 依法必须招标 (招标投标法第三条, 必须招标的工程项目规定): the project says so, or public money / a public trading
# platform shows it. Private or enterprise-own funds and a non-mandatory subject say the opposite.
# Only what the project says of itself counts: every 须知 quotes 依法必须进行招标的项目 and 国有资金占控股 from the law,
# and names the 行政监督部门 for complaints, whatever the project.
_MANDATORY = re.compile(r"本(招标)?(项目|工程)[^,;。]{0,12}(属于|为|系|是)依法必须(进行)?招标|"
                        r"(资金来源|资金来自|建设资金|项目资金|出资比例)[^。;]{0,16}(国有|财政|政府投资|国拨|国家投资|专项资金|"
                        # the platforms' share form (资金来源：国资 30.0% 自筹 % 贷款 70.0%, bench/unseen b1): state money at
                        # 10% or more of the investment (必须招标的工程项目规定第二条第（一）项), or named with no share
                        r"国资(?:[1-9][0-9](?:\.[0-9]+)?|100(?:\.0+)?)%|国资(?![0-9.%]))|"
                        r"公共资源交易(中心|平台)")
_NOT_MANDATORY = re.compile(r"(企业|招标人|业主|单位)自筹|自筹资金|自有资金|非依法必须|不属于依法必须|自愿招标")
# A trading platform named as one of the media a notice is published in (同时在“河北省招标投标公共服务平台”、“石家庄市
# 公共资源交易平台”…发布) says where it was read, not that the project must be traded there: an enterprise publishes on
# the public platform too (bench/unseen t11, t12)
_PUBLISHED_ON = re.compile(r"(发布|刊登|媒介)|(平台|网|中心)[”\")]?[、,][“\"]?[^,;。、]{0,24}公共资源交易(中心|平台)|"
                           r"公共资源交易(中心|平台)[^,;。、]{0,16}[”\")]?[、,][“\"]?[^,;。、]{0,24}(平台|网)")
# A form's unticked option (资金来源■招标人自筹□使用财政资金□银行贷款): offered, not chosen (bench/unseen g-cq-unicom)
_UNTICKED = re.compile(r"[□☐][^□☐■☑√。;]{0,12}")
# The procedure as the document states it (现对该项目进行邀请招标 / 招标方式：公开招标) settles it before any counting.
_STATED_PROCEDURE = re.compile(r"(进行|采用|采取|招标方式[:：]?|采购方式[:：]?|组织方式[:：]?)(公开招标|邀请招标|竞争性磋商|"
                               r"竞争性谈判|询价|单一来源)")
# 政府采购 says so: the law, the finance department, the public procurement network, a budget unit's 财政 funds.
_GOV_MARKERS = re.compile(r"政府采购|财政部门|财政局|财政厅|ccgp|财政资金|财政性资金|集中采购机构|预算单位")
_ENTERPRISE_BUYER = re.compile(r"(采购人|采购单位|招标人|采购方)(名称)?[:：]?[^,;。:：]{0,30}(有限公司|有限责任公司|集团|股份公司|银行)")
_GOV_OPENING = re.compile(r"政府采购法|政府采购货物和服务|中国政府采购网|采购人(名称)?[:：]")
_WORKS_OPENING = re.compile(r"根据《?(中华人民共和国)?招标投标法|招标人(名称)?[:：]")
# 军队采购 (政府采购法第八十六条: the Central Military Commission's own rules): said so, or bought by a unit of the
# army (中国人民解放军95981部队, 武警某部)
_MILITARY = re.compile(r"军队采购|军队物资|军事采购|军队服务类项目|军队工程|中国人民解放军|[0-9]{5}部队|武警部队")
_MODEL_TEXT = re.compile(r"本(招标文件)?范本|本示范文本|范本(适用|使用)|示范文本(适用|使用)说明")


def _procedure(head: str, body: str) -> tuple[Optional[str], str]:
    stated = _STATED_PROCEDURE.search(body)
    if stated:
        return stated.group(2), stated.group(0)
    best, best_score, why = None, 0, ""
    for name, pat in _PROCEDURES:
        h = [m.group(0) for m in re.finditer(pat, head)]
        b = [m.group(0) for m in re.finditer(pat, body)]
        score = 5 * len(h) + len(b)
        if score > best_score:
            best, best_score, why = name, score, (h or b)[0]
    if best is None and re.search(r"招标文件|招标公告|资格预审", head):
        return "招标", "招标文件（未写明公开或邀请）"  # a tender, open or invited: rules for both apply
    return best, why


def _regime_detail(regime: str, procedure: Optional[str], procurement: Optional[str],
                   body: str) -> tuple[Optional[str], str]:
    if regime == "政府采购":
        military = _MILITARY.search(body)
        return ("军队采购", military.group(0)) if military else ("政府采购", "")
    buyer = _ENTERPRISE_BUYER.search(body)
    if buyer and not _GOV_MARKERS.search(body) and procedure not in ("公开招标", "邀请招标", "招标", None):
        return "企业自主采购", buyer.group(0)
    body = _UNTICKED.sub("", body)
    yes = next((m for m in _MANDATORY.finditer(body) if not _published_on(m, body)), None)
    no = _NOT_MANDATORY.search(body)
    if yes and not no:
        return "依法必须招标", yes.group(0)
    if procedure and procedure not in ("公开招标", "邀请招标", "招标"):
        return "企业自主采购", procedure
    # Own funds settle it for goods and services bought for the firm itself; a works project on own funds can
    # still be 依法必须 (商品住宅, 公用事业: 必须招标的基础设施和公用事业项目范围规定), so it stays unsettled.
    if no and not yes and procurement != "工程":
        return "其他招标", no.group(0)
    return None, ""  # both or neither: the document does not settle it


def _published_on(m: re.Match, body: str) -> bool:
    """The trading platform in a sentence that lists where the notice is published."""
    if not m.group(0).startswith("公共资源交易"):
        return False
    start = max(body.rfind("。", 0, m.start()), body.rfind(";", 0, m.start())) + 1
    ends = [i for i in (body.find("。", m.end()), body.find(";", m.end())) if i >= 0]
    return bool(_PUBLISHED_ON.search(body[start:min(ends) if ends else len(body)]))


# A notice sends the reader to the document (谈判文件的获取 / 请于…下载谈判文件 / 报名及领取…招标文件); the document
# itself has the chapters a notice lacks. A text that only says where to get the 文件 is the notice, however often it
# names the 文件 (real: 林州 and 前郭 竞争性谈判公告 of 2015, read as 招标文件 and judged for missing 预算/投标有效期).
_SENDS_TO_DOCUMENT = re.compile(r"(招标|采购|磋商|谈判|询价|比选)(招标)?文件的?(获取|领取|发售|发放|下载|售价|购买)|"
                                r"(获取|领取|下载|购买|发售|发放)[^,;。]{0,12}(招标|采购|磋商|谈判|询价|比选)文件")
# 采购需求 followed by a colon is a field of the 财政部 notice template (采购需求：详见磋商文件), not the chapter
# …as 评标办法：综合评分法 is a field of a notice (bench/unseen y3), not the chapter
_DOCUMENT_CHAPTERS = re.compile(r"(投标人|供应商|响应人|申请人)须知|(评标|评审|磋商|谈判)(办法|方法)(?![:：])|评分(标准|办法|细则)|"
                                r"合同(条款|格式|文本)|(投标|响应)文件(格式|组成)|技术(规格|要求|参数)|采购需求(?!:)")
# A long first line that ends by naming what it is (某公司关于某项目的竞争性磋商公告, 70 characters) is the title all the
# same: agencies put their own name and the whole project name in it.
_NAMES_ITSELF = re.compile(r"(公告|公示|文件|通知书|邀请书|邀请函|报告|合同)$")
# a sentence is no title: 经评审委员会评审，并经采购人确认，本次成交结果公布如下： (a notice printed without its title)
_SENTENCE_LIKE = re.compile(r"[。:]$|,.*,")
# A result notice states the result; an invitation asks for bids. A title saying 成交公告 over a body that invites bids
# and names no winner is mis-titled (real: a 辽宁 磋商 invitation headed 采购成交公告): the body decides. A result notice
# that merely forgot the winner invites nobody, so it stays a result notice and is judged for the omission.
_RESULT_WORDS = re.compile(r"(中标|成交)(人|供应商|单位|候选人|结果|金额|价格?|通知书)|(中标|成交)(供应商)?名称|评审(结果|专家)")
_INVITES_BIDS = re.compile(r"欢迎[^,;。]{0,12}(供应商|投标人|单位|企业)[^,;。]{0,6}参加|凡有意参加|有意参加[^,;。]{0,4}(投标|报价)者|"
                           r"欢迎[^;。]{0,30}(供应商|投标人|单位|企业)[^,;。]{0,4}前来(投标|报名|参加)|"
                           r"(投标|响应|报价)(文件)?(时间|截止时间)[:：][^。;]{0,40}(逾期不(予)?受理|前)|投标需携带")


def _titled(title_line: str) -> Optional[str]:
    """The type the title names. When it names two, the last one is what the document is: 某项目成交公告更正公告 is a
    correction of a result notice, 关于某招标文件的澄清 a clarification (ties keep TITLE_TYPES' order)."""
    best: Optional[tuple[int, str]] = None
    for name, pat in TITLE_TYPES:
        end = max((m.end() for m in pat.finditer(title_line)), default=-1)
        if end >= 0 and (best is None or end > best[0]):
            best = (end, name)
    return best[1] if best else None


# A notice printed without its title line (a platform's body only) still says what it is by its sections: the result
# (三、中标（成交）信息, 中标结果如下, 中标单位 … 中标价 …), a candidate list under a publicity period, a failed tender's
# reasons. Read only where the text has none of a tender document's chapters (which speak of 中标人 throughout).
_RESULT_SECTIONS = re.compile(r"(中标|成交)(\(成交\))?信息|(中标|成交)结果(如下|公告如下)|(中标|成交)(单位|供应商|人|公司)(名称)?"
                              r"[:：]?[^。;]{2,40}(中标|成交)(价|金额)|评标委员会成员名单|(评审|评标)专家名单|(中标|成交)日期")
_CANDIDATE_SECTIONS = re.compile(r"中标候选人[^。]{0,60}公示(截止|期为|期:|期自|期限为|时间为|时间:)|(第一|1)中标候选人|"
                                 r"公示(开始|截止|结束)(时间|日期)[^。]{0,80}中标候选人(名单|排名|排序)|"
                                 r"中标候选人(名单|排名|排序)[^。]{0,80}公示(开始|截止|结束)(时间|日期)")
# the chapters only a tender document has (技术要求 and 采购需求 also head a result notice's 主要标的信息)
_TENDER_CHAPTERS = re.compile(r"(投标人|供应商|响应人|申请人)须知|(评标|评审|磋商|谈判)(办法|方法)(?![:：])|评分(标准|办法|细则)|"
                              r"合同(条款|格式)|(投标|响应)文件(格式|组成)")
_FAILED_SECTIONS = re.compile(r"(招标|采购)失败(的)?原因|(废标|流标|终止)(的)?(原因|理由)|特殊情况(类型)?[:：]?(流标|废标|终止)")
# a correction printed without its title: what it changes, and into what
_CORRECTION_SECTIONS = re.compile(r"更正(内容|事项|信息)[:：]|(现|拟)?(更正|修改|变更|调整)为[“\"]|现(改|更正|调整)为")


def _untitled(text: str) -> Optional[str]:
    """The type a text without a title line shows by its sections, if any. Checked in this order: a tender document's
    chapters (it is the document); a correction (which may repeat where the documents are got); a text that says where
    to get the documents (an invitation, whatever result it promises to publish); then a publicity still open, a
    result, a failed tender."""
    if _TENDER_CHAPTERS.search(text):
        return None
    if _CORRECTION_SECTIONS.search(text):
        return "澄清修改"
    if _SENDS_TO_DOCUMENT.search(text):
        return None
    if _CANDIDATE_SECTIONS.search(text):  # a publicity still open names its end; a result says the publicity is over
        return "中标候选人公示"
    if _RESULT_SECTIONS.search(text):
        return "中标结果公告"
    if _FAILED_SECTIONS.search(text):
        return "终止公告"
    return None


def _names_itself(pat: re.Pattern, line: str) -> bool:
    """A head line that names the type as a title does, at its end (某项目中标结果公告（第2号）), not in passing
    (成交结果公告内容包括…, 本项目招标公告日期…)."""
    return any(len(line) - m.end() <= 12 and not re.search(r"[,;。:]", line[m.end():]) for m in pat.finditer(line))


# The 财政部 notice template opens with its 项目概况 box: 某项目的潜在供应商应在某网获取采购文件，并于…前提交响应文件. A text that
# starts with it is the notice itself, even untitled and with a 品目 table naming 技术规格 (bench/unseen x1); a
# 招标文件 carries the same box only in its 公告 chapter, after its cover. (A stray 。 may close the platform's name:
# …交易平台(河南省·兰考县)》(http://…)。获取招标文件, bench/unseen a3.)
_TEMPLATE_NOTICE_OPENING = re.compile(r"潜在(供应商|投标人)应在[^。]{0,80}。?(获取|领取|下载)[^。]{0,6}文件")


def _doc_type(head: list[str], title_line: str, text: str) -> str:
    """`text`: the first 400 clauses' normalised text, which classify reads for the regime too."""
    titled = _titled(title_line)
    # (a crawl may put a line of its own before the box: 公告内容文档, bench/unseen a3)
    box = next((i for i, line in enumerate(head[:2]) if line.startswith("项目概况")), None)
    if not titled and box is not None and any(
            _TEMPLATE_NOTICE_OPENING.search(line) for line in head[box + 1:box + 3]):
        return "招标公告"
    if titled == "中标结果公告" and _INVITES_BIDS.search(text) and not _RESULT_WORDS.search(text):
        return "招标公告"
    if titled:
        return titled
    guessed = next((name for name, pat in _TYPES for line in head if _names_itself(pat, line)), "招标文件")
    if guessed in ("招标文件", "招标公告") and not _INVITES_BIDS.search(text):
        # the head's 招标文件/招标公告 may be a mention (本项目招标公告日期 …) in a notice of the result
        guessed = _untitled(text) or guessed
    if guessed == "招标文件" and _SENDS_TO_DOCUMENT.search(text) and not _DOCUMENT_CHAPTERS.search(text):
        return "招标公告"
    return guessed


# 竞争性谈判, 磋商, 询价 and 单一来源 are 政府采购法's methods (第二十六条); an enterprise copies their names, but not the
# finance department's supervision. Such a method with a mark of public procurement is 政府采购, whatever template
# the notice borrowed (real: 前郭 司法局 printing, 竞争性谈判 under the 政府采购监督管理工作办公室, on the 工程
# 招标公告 template 本招标项目…已由…批准建设，项目业主为…).
_GP_METHODS = ("竞争性谈判", "竞争性磋商", "询价", "单一来源")
# A buyer that is a 国家机关 or 事业单位 (a public hospital, school, bureau): with a 政府采购法 method, its purchase is
# 政府采购 (政府采购法第二条) even when it prints the 10号令 候选人公示 form with 招标人 and 投标价格 (bench/unseen v8,
# a 市中心医院's 单一来源)
_PUBLIC_BUYER = re.compile(r"(采购人|采购单位|招标人)(名称)?[:：]?[^,;。:：]{0,24}(医院|卫生院|学校|大学|学院|中学|小学|幼儿园|"
                           r"政府|委员会|局|厅|办公室|研究所|研究院)(?![^,;。:：]{0,2}(有限|公司))")


def classify(doc: Document, head_clauses: int = 12, facts=None) -> Classification:
    head = [c.norm for c in doc.clauses[:head_clauses]]
    title_line = next((c.norm for c in doc.clauses[:3] if c.norm and not _SENTENCE_LIKE.search(c.norm) and (
        len(c.norm) <= 60 or (len(c.norm) <= 150 and _NAMES_ITSELF.search(c.norm)))), "")
    body = "".join(c.norm for c in doc.clauses[:400])
    doc_type = _doc_type(head, title_line, body)
    gov = body.count("政府采购") * 3 + body.count("采购人") + body.count("供应商")
    works = body.count("招标人") + body.count("投标人") + body.count("施工") + body.count("依法必须招标") * 3
    regime = "政府采购" if gov > works else "工程"
    # What the document says it is beats word counts: many 政府采购 招标文件 speak of 招标人/投标人 throughout (r09),
    # but name the 采购人 and the 政府采购法 at the top.
    opening = "".join(c.norm for c in doc.clauses[:40])
    gov_said, works_said = _GOV_OPENING.search(opening), _WORKS_OPENING.search(opening)
    if gov_said and not works_said:
        regime = "政府采购"
    elif works_said and not gov_said:
        regime = "工程"
    enterprise = _ENTERPRISE_BUYER.search(body)
    if regime == "政府采购" and enterprise and not _GOV_MARKERS.search(body):
        # A firm buying for itself writes 采购人/供应商 too; without any mark of public procurement it is no 政府采购
        # (state-owned enterprises' own procurement sites published 1,420 such notices in one probe).
        regime = "工程"
    title = "".join(head)
    procedure, why_procedure = _procedure(title, body)
    if regime == "工程" and procedure in _GP_METHODS and not enterprise and (
            _GOV_MARKERS.search(body) or _PUBLIC_BUYER.search(body)):
        regime = "政府采购"
    procurement = procurement_kind(head, title_line, regime)
    if procurement == MIXED:
        # a batch of kinds (施工、综合服务): the volume's own label (…招标公告-综合服务) says which one this is; without
        # it the kind is not known
        procurement = volume_kind([c.norm for c in doc.clauses[:40]], regime)
    detail, why_detail = _regime_detail(regime, procedure, procurement, body)
    evidence = tuple((k, v) for k, v in (("采购方式", why_procedure), ("适用体系", why_detail)) if v)
    return dated(Classification(doc_type=doc_type, regime=regime, procurement=procurement, procedure=procedure,
                                regime_detail=detail, model_text=bool(_MODEL_TEXT.search(title + body[:3000])),
                                evidence=evidence), facts or [])


def dated(cls: Classification, facts) -> Classification:
    """The classification with the document's date read from its facts: the one part of classifying that needs
    them, so a document classified before its facts were extracted (a dossier's, by `checker/project/dossier.py`)
    is not classified again."""
    doc_date, date_source = _document_date(facts)
    evidence = tuple(e for e in cls.evidence if e[0] != "文件日期") + ((("文件日期", date_source),) if date_source else ())
    return replace(cls, doc_date=doc_date, date_source=date_source, evidence=evidence)


def signed(cls: Classification, doc: Document) -> Classification:
    """A notice's date from its signature (`2019-7-17` under the last line), where the text gives no better one:
    - no date was found: the signature is its issue date;
    - a later-stage notice quotes the dates of the stages before it (招标公告发布日期：2017年09月12日 in a result notice
      signed 2017年10月12日): its signature, when later, is its own;
    - a notice dated only by its deadline (or a result's day): its signature, when earlier, is the day it was issued.
    A tender document's last lines are forms, whose dates are blanks to fill in: never read there."""
    if cls.doc_type in ("招标文件", "资格预审文件"):
        return cls
    later = cls.doc_type in _LATER_STAGE_TYPES
    deadline_only = cls.doc_type in ("招标公告", "资格预审公告") and cls.date_source in _NOT_ISSUE_DATES
    if cls.doc_date is not None and not (later or deadline_only):
        return cls
    signed = closing_date(doc)
    if signed is None:
        return cls
    day = signed.when.date()
    if cls.doc_date is None or (later and day > cls.doc_date) or (deadline_only and day < cls.doc_date):
        return replace(cls, doc_date=day, date_source="落款日期")
    return cls


def overridden(guessed: Classification, *, doc_type: Optional[str], regime: Optional[str],
               procurement: Optional[str], procedure: Optional[str], on_date: Optional[date]) -> Classification:
    """What the caller states wins over what was recognised. `regime` may be coarse (工程/政府采购) or detailed
    (依法必须招标/其他招标/政府采购/企业自主采购)."""
    changes: dict = {}
    if doc_type:
        changes["doc_type"] = doc_type
    if regime in REGIMES_DETAILED:
        changes.update(regime_detail=regime, regime="政府采购" if regime in GOV_REGIMES else "工程")
    elif regime:
        changes["regime"] = regime
        if guessed.regime_detail and (regime == "政府采购") != (guessed.regime_detail in GOV_REGIMES):
            changes["regime_detail"] = "政府采购" if regime == "政府采购" else None
    if procurement:
        changes["procurement"] = procurement
    elif guessed.procurement == "工程" and guessed.regime == "工程" and changes.get("regime") == "政府采购":
        # A 工程 guessed under the 工程 regime may rest on that regime alone (the bare word 工程, or no word at all:
        # checker/bought.py), which the caller has just overruled. Unknown, not 工程 — a band chosen by kind
        # (小微企业价格扣除) is then not judged rather than judged by the wrong one.
        changes["procurement"] = None
    if procedure:
        changes["procedure"] = procedure
    if on_date:
        changes.update(doc_date=on_date, date_source="指定")
    return replace(guessed, **changes)


# Dates that are not the day a document was issued: a deadline, the day a result was settled
_NOT_ISSUE_DATES = ("投标截止", "资格预审申请截止", "结果日期")
# Documents of the stages after the tender: they quote the earlier stages' dates (bench/unseen t8)
_LATER_STAGE_TYPES = ("中标候选人公示", "中标结果公告", "中标通知书", "终止公告", "澄清修改", "合同", "评标报告")


def _document_date(facts) -> tuple[Optional[date], str]:
    """The issue date (公告发布, else a publicity's first day, else the first day the documents could be had), else
    the bid deadline, else (a result notice) the day the result was settled."""
    for name in ("公告发布", "公示开始", "文件获取开始", "投标截止", "资格预审申请截止", "结果日期"):
        whens = [f.when for f in facts if f.name == name and f.when is not None]
        if whens:
            return min(whens).date(), name
    return None, ""
