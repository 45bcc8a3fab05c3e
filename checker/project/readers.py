"""Reading each stage document for the values later stages are checked against (`read_document`): one reader per
document type, built on the lexicon, table and name helpers of checker/project/extract.py."""
from __future__ import annotations

import re
from typing import Optional

from ..facts.values import find_values
from ..models import Clause, ClauseKind, Document
from ..normalize import for_matching
from ..normalize import sentences
from .extract import (
    _CN_RANK,
    _COMPANY,
    AWARD_GP_ELEMENTS,
    PUBLICITY_ELEMENTS,
    REPORT_ELEMENTS,
    Candidate,
    DocData,
    Found,
    Member,
    Refund,
    RefundTerm,
    clean_name,
    closing_date,
    document_year,
    duration_of,
    lexicon_values,
    money_of,
    name_after,
    quality_level,
    rank_of,
    tables,
    text_clauses,
)

_AFFECTS = re.compile(r"资格|资质|评分|评标办法|评审|工程量清单|清单|技术|参数|规格|限价|控制价|图纸|合同条款|付款|保证金|工期|质量|"
                      r"数量|要求|标准|报价|暂列金额|专用条款")
_NOT_AFFECTS = re.compile(r"开标地点|会议室|联系人|联系电话|联系方式|错别字|页码")
_DISSENT_EXPLAINED = re.compile(r"(书面|书面形式)(说明|陈述).{0,12}(不同意见|理由)|不同意见.{0,10}(理由|说明)")
_REFUSED = re.compile(r"拒绝(在评标报告上)?签字|未签字|拒签")
_LEGAL_REASON = re.compile(r"放弃中标|不可抗力|未(按(照)?(招标文件)?(要求|规定))?提交履约保证金|不能履行合同|被查实.{0,10}违法|"
                           r"违法行为.{0,10}(影响中标结果|查实)")
_STATE_FUNDED = re.compile(r"(财政|预算|国有|政府)(性)?(投资|资金|预算资金)")
_FULL_SHARE = re.compile(r"(出资比例|资金比例|占比|比例)(为)?100%|全额(财政|国有)|(财政|国有)资金100%")


def read_document(doc: Document, doc_type: str) -> DocData:
    year = document_year(doc)
    data = DocData(found=lexicon_values(doc, year), closing=closing_date(doc, year))
    full = "".join(c.norm for c in doc.clauses if c.kind != ClauseKind.table_row)
    for role, cue in (("招标人", r"招标人|采购人|甲方|发包人"), ("代理机构", r"招标代理机构|采购代理机构|代理机构")):
        got = name_after(doc, cue)
        if got:
            data.names[role], data.name_clauses[role] = got
    if doc_type in ("招标公告", "招标文件", "资格预审公告", "资格预审文件"):
        _tender(doc, data, year, full)
    elif doc_type == "澄清修改":
        _clarification(doc, data, full)
    elif doc_type == "评标报告":
        _report(doc, data, year, full)
    elif doc_type == "中标候选人公示":
        _candidates(doc, data, year)
        data.elements_checked = True
        data.elements_missing = [name for name, pat in PUBLICITY_ELEMENTS if not re.search(pat, full)]
    elif doc_type in ("中标结果公告", "中标通知书"):
        _award(doc, data, year, full, doc_type)
    elif doc_type == "合同":
        _contract(doc, data)
    elif doc_type == "保证金退还记录":
        _refunds(doc, data, year)
    if "评定分离" in full:
        data.flags["评定分离"] = "文件采用评定分离"
    return data


def _tender(doc: Document, data: DocData, year, full: str) -> None:
    grade = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:施工总承包|专业承包|工程总承包))(特|一|二|三|壹|贰|叁)级")
    for c in text_clauses(doc):
        part = "公告" if notice_part(c) else "文件"
        if part not in data.qualification:
            m = grade.search(c.norm)
            if m:
                level = {"特": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "三": 3, "叁": 3}[m.group(2)]
                text = re.sub(r"^.*?(具备|具有|持有|取得|须为|应为|要求)", "", m.group(0))
                tail = re.match(r"(及以上|以上)?(资质)?", c.norm[m.end():])
                data.qualification[part] = (level, text + (tail.group(0) if tail else ""), c)
        if data.quality is None and re.search(r"质量(要求|标准|目标|等级)", c.norm):
            q = quality_level(c.norm)
            if q:
                data.quality = (q[0], q[1], c)
        for sent in sentences(c.norm):
            term = refund_term(sent)
            if term:
                data.refund_terms.append(RefundTerm(term[0], term[1], term[2], c, sent))
    if _STATE_FUNDED.search(full) and _FULL_SHARE.search(full):
        data.flags["国有资金"] = "文件载明建设资金为财政（国有）资金，出资比例100%"
    if "资格预审" in full[:400]:
        data.flags["资格预审"] = "资格预审"


_REFUND = re.compile(r"(合同签订|签订合同|签订书面合同|中标通知书发出|发出中标通知书)[^,;。]{0,10}?(后|之日起)"
                     r"(?P<n>[0-9]+|[一二三四五六七八九十]+)(?P<u>个工作日|工作日|日|天)内")


def refund_term(sent: str) -> Optional[tuple[str, float, str]]:
    """`投标保证金将在合同签订后10日内退还` → (合同签订, 10, 日)."""
    if "保证金" not in sent or "退还" not in sent:
        return None
    m = _REFUND.search(sent)
    if not m or "退还" not in sent[m.end():m.end() + 30]:
        return None
    raw = m.group("n")
    n = float(raw) if raw.isdigit() else float(_CN_RANK.get(raw, 0) or 0)
    base = "合同签订" if "签订" in m.group(1) else "中标通知书发出"
    return base, n, "工作日" if "工作日" in m.group("u") else "日"


def notice_part(c: Clause) -> bool:
    """A clause of the 招标公告 (投标邀请书) chapter inside a 招标文件."""
    return any(re.search(r"招标公告|投标邀请|采购公告|资格预审公告", for_matching(h)) for h in c.heading_path[:2])


def _clarification(doc: Document, data: DocData, full: str) -> None:
    if "资格预审" in full or "申请截止" in full:
        data.flags["资格预审"] = "澄清涉及资格预审文件"
    body = full
    # A 更正公告 names what it changes in quotes (`现更正…“投标截止时间和地点”为`). Only times and places changed
    # (the deadline moved later, the opening room) do not affect how bids are prepared, whatever else the text
    # mentions on the way (`投标保证金递交截止时间延期至…`).
    changed = set(re.findall(r"(?:原|更正|更改|变更|修改|调整)[^\"“”]{0,24}[\"“]([^\"“”]{2,30})[\"”]", body))
    if changed and all(re.search(r"时间|地点|日期", x) and not re.search(r"资格|评分|评审|技术|参数|数量|限价|预算|付款|工期", x)
                       for x in changed):
        data.flags["不影响编制"] = "更正只涉及" + "、".join(sorted(changed))
        return
    if _AFFECTS.search(body):
        data.flags["影响编制"] = "澄清修改了" + "、".join(sorted(set(_AFFECTS.findall(body)))[:4])
    elif _NOT_AFFECTS.search(body):
        data.flags["不影响编制"] = "澄清只涉及" + "、".join(sorted(set(_NOT_AFFECTS.findall(body)))[:3])


def _report(doc: Document, data: DocData, year, full: str) -> None:
    data.elements_checked = True
    data.elements_missing = [name for name, pat in REPORT_ELEMENTS if not re.search(pat, full)]
    explained = bool(_DISSENT_EXPLAINED.search(full))
    for t in tables(doc):
        name_col = t.col(r"^姓名$|^评委(姓名)?$|^成员(姓名)?$|专家姓名|^姓名")
        role_col = t.col(r"类别|身份|职务|组成|评委类型|人员类型|备注|角色")
        sign_col = t.col(r"签字|签名")
        if name_col is None or (role_col is None and sign_col is None):
            continue
        for row, rc in zip(t.rows, t.row_clauses):
            name = t.text(row, name_col)
            if not name or re.fullmatch(r"[0-9]+", name):
                continue
            role_text = t.text(row, role_col) + rc.norm
            role = "代表" if re.search(r"(招标人|采购人|业主|建设单位)代表|代表", role_text) else (
                "专家" if "专家" in role_text else "")
            signed = None
            if sign_col is not None:
                cell = t.text(row, sign_col)
                signed = bool(cell) and not _REFUSED.search(cell)
                if not signed and explained:
                    signed = True  # a dissent explained in writing counts (实施条例第五十三条)
            data.members.append(Member(name, role, signed, rc))
        if data.members:
            break
    m = re.search(r"(评标|评审)委员会由(?P<n>[0-9]+|[一二三四五六七八九十]+)(人|名)", full)
    if m:
        n = _count(m.group("n"))
        reps = re.search(r"(招标人|采购人|业主)代表(?P<r>[0-9]+|[一二三四五六七八九十]+)(人|名)", full)
        experts = re.search(r"(评标|评审)?专家(?P<e>[0-9]+|[一二三四五六七八九十]+)(人|名)", full)
        clause = next((c for c in text_clauses(doc) if m.group(0) in c.norm), doc.clauses[0])
        data.member_counts = (n, _count(reps.group("r")) if reps else None,
                              _count(experts.group("e")) if experts else None, clause)
    _candidates(doc, data, year)
    _bidders(doc, data, full)
    if _REFUSED.search(full) and not explained and not any(m.signed is False for m in data.members):
        c = next((c for c in text_clauses(doc) if _REFUSED.search(c.norm)), None)
        if c is not None:
            data.members.append(Member("（拒绝签字者）", "", False, c))


def _count(raw: str) -> int:
    return int(raw) if raw.isdigit() else _CN_RANK.get(raw, 0) if len(raw) == 1 else int(
        {"十一": 11, "十三": 13, "十五": 15}.get(raw, 0))


def _candidates(doc: Document, data: DocData, year) -> None:
    for t in tables(doc):
        name_col = t.col(r"候选人|投标人(名称)?$|单位名称|供应商(名称)?$|投标单位", r"项目负责人|排名|排序|名次")
        rank_col = t.col(r"排名|排序|名次|顺序|推荐")
        price_col = t.col(r"报价|投标价|投标总价|金额")
        if name_col is None or not (rank_col is not None or "候选人" in "".join(t.header) or "候选人" in t.heading):
            continue
        if rank_col is None and "开标" in t.heading:
            continue
        dur_col = t.col(r"工期|交货期|服务期")
        q_col = t.col(r"质量")
        pm_col = t.col(r"项目负责人|项目经理")
        for row, rc in zip(t.rows, t.row_clauses):
            name = t.text(row, name_col)
            if not name:
                continue
            rank = rank_of(t.text(row, rank_col)) if rank_col is not None else None
            if rank is None:
                rank = rank_of(name) if re.search(r"第.{1,2}(名|中标候选人)", name) else None
            cand = Candidate(clean_name(re.sub(r"^第.{1,2}(中标)?候选人[:：]?", "", name)), rank, clause=rc)
            if price_col is not None:
                cand.price = money_of(t.text(row, price_col), t.header[price_col], year)
            if dur_col is not None:
                d = duration_of(t.text(row, dur_col), year)
                if d:
                    cand.duration, cand.duration_unit = d
            if q_col is not None:
                q = quality_level(t.text(row, q_col))
                if q:
                    cand.quality, cand.quality_text = q
            cand.manager = t.text(row, pm_col)
            data.candidates.append(cand)
        if data.candidates:
            data.candidate_table = True
            return
    # text: 第一中标候选人：某某建设有限公司，投标报价：1286.53万元
    pat = re.compile(rf"第([一二三四五六七八九十1-9])(?:中标|成交)?候选人(?:为|是)?[:：]?({_COMPANY})")
    for c in text_clauses(doc):
        for m in pat.finditer(c.norm):
            rank = rank_of("第" + m.group(1) + "名")
            price = next((v.value for v in find_values(c.norm[m.end():m.end() + 40], year) if v.kind == "money"),
                         None)
            data.candidates.append(Candidate(clean_name(m.group(2)), rank, price=price, clause=c))


def _bidders(doc: Document, data: DocData, full: str) -> None:
    for t in tables(doc):
        if not re.search(r"开标|投标人名单|递交|投标文件接收|签到", t.heading + "".join(t.header)):
            continue
        name_col = t.col(r"投标人|投标单位|供应商|单位名称")
        if name_col is None:
            continue
        names = [t.text(r, name_col) for r in t.rows if t.text(r, name_col)]
        if names:
            data.bidders = (len(names), t.row_clauses[0], f"开标记录列有{len(names)}家投标人")
            return
    m = re.search(r"(共有?|计)(?P<n>[0-9]+|[一二三四五六七八九十]+)家(投标人|投标单位|单位|供应商)?(按时)?(递交|提交|参加)", full)
    if m:
        clause = next((c for c in text_clauses(doc) if m.group(0) in c.norm), doc.clauses[0])
        data.bidders = (_count(m.group("n")), clause, m.group(0))


def _award(doc: Document, data: DocData, year, full: str, doc_type: str) -> None:
    winner = name_after(doc, r"中标人|中标单位|中标供应商|成交供应商|中标候选人")
    if doc_type == "中标通知书":
        for c in text_clauses(doc)[:8]:
            m = re.fullmatch(rf"(?:致)?[:：]?({_COMPANY})[:：]", c.norm)
            if m:
                winner = (clean_name(m.group(1)), c)
                break
    if winner:
        data.names["中标人"], data.name_clauses["中标人"] = winner
    if _LEGAL_REASON.search(full):
        c = next((c for c in text_clauses(doc) if _LEGAL_REASON.search(c.norm)), None)
        data.flags["法定事由"] = _LEGAL_REASON.search(full).group(0) + (f"（{c.text[:60]}）" if c else "")
    m = re.search(r"(?:于)?(\d{4}年\d{1,2}月\d{1,2}日)(?:依法)?确定(?:了)?(?:中标|成交)(?:供应商|人|结果)", full)
    if m:
        vals = [v for v in find_values(m.group(1), year) if v.when]
        clause = next((c for c in text_clauses(doc) if m.group(1) in c.norm), doc.clauses[0])
        if vals:
            data.determined = Found("确定日期", vals[0], clause, m.group(0))
    if doc_type == "中标结果公告":
        _candidates(doc, data, year)
        data.elements_checked = True
        data.elements_missing = [name for name, pat in AWARD_GP_ELEMENTS if not re.search(pat, full)]
    q = next((quality_level(c.norm) and (quality_level(c.norm), c) for c in text_clauses(doc)
              if re.search(r"质量(要求|标准|目标|等级)?[:：]", c.norm) and quality_level(c.norm)), None)
    if q:
        data.quality = (q[0][0], q[0][1], q[1])


def _contract(doc: Document, data: DocData) -> None:
    party_b = name_after(doc, r"乙方|承包人|供应商|中标人")
    if party_b:
        data.names["乙方"], data.name_clauses["乙方"] = party_b
    for c in text_clauses(doc):
        if re.search(r"质量(要求|标准|目标|等级)", c.norm):
            q = quality_level(c.norm)
            if q:
                data.quality = (q[0], q[1], c)
                break


def _refunds(doc: Document, data: DocData, year) -> None:
    for t in tables(doc):
        date_col = t.col(r"退还(日期|时间)|日期")
        name_col = t.col(r"投标人|供应商|单位")
        if date_col is None or name_col is None:
            continue
        won_col = t.col(r"是否中标|中标情况|类别|备注")
        for row, rc in zip(t.rows, t.row_clauses):
            vals = [v for v in find_values(t.text(row, date_col), year) if v.when]
            if not vals:
                continue
            won_text = t.text(row, won_col)
            won = None
            if won_text:
                won = bool(re.search(r"^是|^中标|中标人|中标供应商", won_text)) and not re.search(r"未中标|否", won_text)
            data.refunds.append(Refund(clean_name(t.text(row, name_col)), vals[0].when, won, rc))


