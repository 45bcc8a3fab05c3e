"""Stage documents judged on their own (checker/facts/stage.py, rules/stage/): what a result notice publishes, in
the wordings real notices use; the date under a notice's signature; qualification checks at the purchase step."""
from checker.facts.stage import purchase_step_items, read_result_notice
from checker.ingest.text_reader import read_text
from checker.models import DocFormat, Source
from checker.segment import segment



def _doc(text: str):
    return segment(read_text(text, Source(path="t.txt", sha256="0" * 64, format=DocFormat.text, size=1)))


# shared/realnotices n02_gp_cs_result_workwear.txt (丹东, 2019), the table printed one cell a line
N02 = """辽宁机电职业技术学院工作服采购成交公告
受辽宁机电职业技术学院委托，辽宁金昌建设工程咨询有限公司对辽宁机电职业技术学院工作服采购项目（项目编号：LNJC20190703003）进行了竞争性磋商，现将成交结果公告如下：
1、采购项目名称：辽宁机电职业技术学院工作服采购
4、成交结果：
包号
成交供应商名称
成交金额(元)
001
丹东市振兴区江滨服装经销处
256100.00
5、竞争性磋商小组成员名单：
姜云翠; 陈菁;刘岱熹;
采购单位：辽宁机电职业技术学院
地 址：辽宁省丹东市振兴区洋河大街30号
项目联系人：刘老师
采购代理机构：辽宁金昌建设工程咨询有限公司
地 址：丹东市振兴区五经街86号东方金艺美术教育5楼
联系电话：0415-2590966
辽宁机电职业技术学院
2019-7-17
"""


def test_result_notice_items_read_as_printed():
    notice = read_result_notice(_doc(N02), "政府采购", "货物")
    assert [n for n, _ in notice.winners] == ["丹东市振兴区江滨服装经销处"]
    assert [p for p, _, _ in notice.prices] == [256100.0]  # not the 包号 001
    assert "评审专家名单" in notice.present  # 磋商小组成员名单 is the experts' list
    assert "采购代理机构名称、地址、联系方式" in notice.present
    # the 地址 lines belong to the buyer and the agency, not the supplier
    # (no 公告期限: a 磋商's result notice is not bound by 87号令's list)
    assert set(notice.missing) == {"中标（成交）供应商地址", "主要标的的名称、规格型号、数量、单价、服务要求"}
    assert "公告期限" in read_result_notice(_doc(N02), "政府采购", "货物", "公开招标").missing


def test_check_runs_rules_on_a_result_notice(checker):
    report = checker.check(_doc(N02))
    assert report.document.doc_type == "中标结果公告" and report.document.regime == "政府采购"
    assert str(report.document.doc_date) == "2019-07-17" and report.document.date_source == "落款日期"
    ran = [r for r in report.results if r.outcome.value in ("flag", "no_flag")]
    assert ran, "a result notice is judged, not passed unread"
    found = [f for f in report.findings if f.rule_id == "AWARD-GP-NOTICE-CONTENT"]
    assert len(found) == 1 and "丹东市振兴区江滨服装经销处" in found[0].excerpt
    assert "供应商地址" in found[0].values["比较"] and "评审专家" not in found[0].values["比较"]


def test_buyer_running_it_itself_needs_no_agency():
    doc = _doc("某单位财务模块升级服务项目成交公告\n某单位对财务模块升级服务项目进行了竞争性磋商，现将结果公告如下：\n"
               "成交供应商名称：辽宁长众科技有限公司\n成交价格：柒万伍仟元整（75,000.00元）\n某单位设备管理处\n2019-7-12\n")
    notice = read_result_notice(doc, "政府采购", "服务")
    assert not any("代理机构" in m for m in notice.missing + notice.present)
    assert "项目编号" in notice.missing


def test_withheld_price(checker):
    report = checker.check(_doc("某项目中标结果公告\n中标供应商名称：甲科技有限公司\n中标金额：0.0万元\n"))
    assert any(f.rule_id == "AWARD-GP-PRICE-WITHHELD" for f in report.findings)


def test_works_result_notice_is_not_judged_by_the_gp_list(checker):
    report = checker.check(_doc("某工程施工中标结果公告\n中标人：某省恒达建设集团有限公司\n中标价：人民币1126.45万元\n"
                                "招标人：某区人民医院\n2026年4月13日\n"), regime="工程")
    assert not any(f.rule_id.startswith("AWARD-GP") for f in report.findings)


def test_purchase_step_list_items():
    doc = _doc("五、采购文件的领取\n领取文件其他说明：\n1、营业执照副本；\n2、法定代表人身份证明；\n"
               "3、招标公告前六个月内任一个月的依法缴纳税收及社会保障资金的缴款凭证；\n4、产品的质检报告；\n六、截止时间\n"
               "1、资质证书复印件\n")
    items = [c.norm for c in purchase_step_items(doc)]
    assert len(items) == 2 and "社会保障" in items[0] and "质检报告" in items[1]


def test_project_on_a_lone_result_notice_takes_the_regime_from_it(tmp_path):
    """`project` on a lone 成交结果公告 judged it as 工程 (the default) while `check` said 政府采购."""
    from checker.project.runner import ProjectChecker

    (tmp_path / "n02.txt").write_text(N02, encoding="utf-8")
    report = ProjectChecker().check_dir(tmp_path)
    assert report.project.regime == "政府采购"
    assert [f.rule_id for d in report.documents for f in d.findings] == ["AWARD-GP-NOTICE-CONTENT"]


def test_dates_as_notices_print_them():
    from checker.facts.values import find_values
    from checker.normalize import for_matching

    def dates(t):
        return [v.when.strftime("%Y-%m-%d %H:%M") for v in find_values(for_matching(t)) if v.kind == "date"]

    # shared/realnotices n03: a run of days with the same hours, no duration `9—11日`
    assert dates("1.投标时间：2019年7月9—11日8：30— 16：00（北京时间）") == ["2019-07-09 08:30", "2019-07-11 16:00"]
    # n01: 领取, spaces inside dates, 时 after a clock time, 起至…止
    assert dates("采购文件领取时间：2019年7月8日8:00时起至 2019年7 月 12 日16:00时止") == [
        "2019-07-08 08:00", "2019-07-12 16:00"]
    assert dates("日期：二〇二六年四月十四日") == ["2026-04-14 00:00"]


def test_correction_date_is_not_the_first_notice_date(checker):
    report = checker.check(_doc("某设备采购更正公告\n首次公告日期：2017年07月11日 本次变更日期：2017年07月26日\n"
                                "现更正公开招标文件中“投标截止时间和地点”为：投标人应于2017年7月31日13时00分前递交。\n"))
    assert report.document.doc_type == "澄清修改" and str(report.document.doc_date) == "2017-07-26"


def test_withheld_price_in_a_table_column(checker):
    report = checker.check(_doc("某项目中标（成交）结果公告\n| 序号 | 供应商名称 | 供应商地址 | 中标（成交）金额(万元) |\n"
                                "| 1 | 甲科技有限公司 | 某市1号 | 0.000000 |\n| 2 | 乙科技有限公司 | 某市2号 | 0.000000 |\n"))
    withheld = [f for f in report.findings if f.rule_id == "AWARD-GP-PRICE-WITHHELD"]
    assert len(withheld) == 1 and len(withheld[0].also_at) == 1  # the same 0.000000 in both rows: one finding


def test_a_termination_notice_is_no_award_notice(checker):
    report = checker.check(_doc("某项目废标公告\n因有效供应商不足三家，本项目废标。\n采购人：某单位\n2026年5月6日\n"))
    assert report.document.doc_type == "终止公告"
    assert not report.findings


# The national template of a 中标（成交）结果公告, every item published (ggzy.gov.cn, 2023-06-20: 镇江市第一人民医院口腔3合1
# 摄片设备采购中标结果公告, http://www.ggzy.gov.cn/information/html/b/320000/0202/202306/20/003203378569e09d45c992b1c41ad558b612.shtml;
# table cells tab-separated here)
ZJ = """镇江市第一人民医院口腔3合1摄片设备采购中标结果公告
一、项目编号：ZJZCFSDZ-(2023)公字第0090号
二、项目名称： 镇江市第一人民医院口腔3合1摄片设备采购
三、中标（成交）信息
供应商名称： 镇江京丹医疗器械有限公司
供应商地址： 镇江市京口区谷阳路199号沃得雅苑2-104
中标金额： 480000.00(元)
四、主要标的信息
货物类标的
名称	品牌	规格型号	数量	单价
镇江市第一人民医院口腔3合1摄片设备采购	美亚光电	SS-X9010Dpro-3DE	1	480000.0
五、评审专家（单一来源采购人员）名单： 韦孔明;秦芳;朱镇;薛国庆;张光建;
六、代理服务收费标准及金额： 2450.00
七、公告期限
自本公告发布之日起1个工作日。
八、其他补充事宜
九、凡对本次公告内容提出询问，请按以下方式联系。
1.采购人信息
名称： 镇江市第一人民医院
地址： 镇江市润州区电力路8号
联系方式： 0511-88917939
2.采购代理机构信息
名称： 苏世建设管理集团有限公司
地址： 镇江市运河路21号1幢301室
联系方式： 0511-88833166
苏世建设管理集团有限公司
2023年06月20日
"""


def test_a_complete_template_notice_is_quiet(checker):
    report = checker.check(_doc(ZJ))
    assert report.document.doc_type == "中标结果公告" and report.document.regime == "政府采购"
    assert not report.findings
    # `评审专家（单一来源采购人员）名单` is a template heading, not the procedure
    assert report.document.procedure != "单一来源"


def test_the_template_without_the_supplier_address(checker):
    report = checker.check(_doc(ZJ.replace("供应商地址： 镇江市京口区谷阳路199号沃得雅苑2-104\n", "")))
    (f,) = report.findings
    assert f.rule_id == "AWARD-GP-NOTICE-CONTENT" and f.values["比较"].startswith("缺少：中标（成交）供应商地址（1项）")


def test_dates_at_the_foot_and_in_a_signature_table():
    from checker.project.extract import closing_date

    notice = _doc("中标通知书\n甲建设集团有限公司：\n你单位被确定为中标人。\n某区人民医院（盖单位章）\n日期：2026年4月14日\n")
    assert closing_date(notice, 2026).when.strftime("%Y-%m-%d") == "2026-04-14"
    contract = _doc("施工合同协议书\n发包人和承包人签订本合同。\n| 发包人（盖章） | 承包人（盖章） |\n"
                    "| 签订日期：2026年5月15日 | 签订日期：2026年5月15日 |\n")
    assert closing_date(contract, 2026).when.strftime("%Y-%m-%d") == "2026-05-15"


def test_a_cs_notice_is_not_judged_by_the_20_day_tender_rule(checker):
    """shared/realnotices n05 (an 11-day... here 20-day-short 竞争性磋商) with 领取 changed to 获取: the 20-day rule is
    for 招标; a 磋商 is judged by its own 10 days only."""
    text = ("某测评项目竞争性磋商公告\n采购方式：竞争性磋商\n采购文件获取时间：2019年7月16日8:30时起至2019年7月23日16:00时止\n"
            "递交响应文件截止时间及磋商会议时间：2019 年7月27日北京时间 13:30时\n")
    report = checker.check(_doc(text), regime="政府采购")
    assert not any(f.rule_id == "TIME-BID-PREP-20D" for f in report.findings)
    assert not any(f.rule_id == "TIME-CS-10D" for f in report.findings)  # 11 days ≥ 10


def test_a_works_result_notice_runs_its_rules(checker):
    report = checker.check(_doc("某道路工程中标结果公示\n本项目公示期满无异议，招标人已确定中标人。\n招标人：某县交通局\n"),
                           regime="工程")
    assert [f.rule_id for f in report.findings] == ["AWARD-WORKS-WINNER-NAME"]


def test_purchase_step_lead_in_wordings():
    with_comma = _doc("潜在供应商获取采购文件时，应提交以下资料：\n1、营业执照副本复印件；\n"
                      "2、近三年依法缴纳社会保障资金的证明；\n3、类似项目业绩合同。")
    assert len(purchase_step_items(with_comma)) == 2  # not the 营业执照
    as_heading = _doc("二、报名\n（三）报名时需提供的资料\n1. 企业资质证书副本；\n2. 项目经理证书。")
    assert len(purchase_step_items(as_heading)) == 2
    # a collection section that asks for nothing; a qualification section is no purchase step
    quiet = _doc("三、获取采购文件\n时间：2023年6月28日至7月5日\n方式：网上下载\n四、资格要求\n1、具有有效的资质证书")
    assert purchase_step_items(quiet) == []
    # the list announced by the last sentence of a paragraph, one short item read as a heading (bench/unseen y2)
    paragraph = _doc("四、招标文件出售时间及地点\n每天9:00-12:00出售。投标人须按本公告的联系地址，携带下列资料购买招标文件"
                     "（复印件加盖公章留存）：\n1、营业执照（原件或复印件盖单位公章）；\n2、草种经营许可证（原件或复印件盖单位公章）\n"
                     "3、法定代表人身份证明文件（原件）。\n五、开标时间及地点\n1、具有有效的资质证书")
    assert [c.norm for c in purchase_step_items(paragraph)] == ["草种经营许可证(原件或复印件盖单位公章)"]


def test_check_judges_a_candidates_publicity_on_its_own(checker):
    text = ("某道路工程中标候选人公示\n| 排序 | 中标候选人 | 投标报价（万元） |\n"
            "| 1 | 甲建设有限公司 | 1286.53 |\n| 2 | 乙建设有限公司 | 1290.10 |\n")
    report = checker.check(_doc(text), regime="依法必须招标")
    assert report.document.doc_type == "中标候选人公示"
    (f,) = [f for f in report.findings if f.rule_id == "PUBL-CONTENT"]
    assert "项目负责人姓名" in f.values["比较"] and "异议" in f.values["比较"]
    # 10号令第六条 binds 依法必须招标 projects: a publicity that does not say whether it is one is not judged
    unsure = checker.check(_doc(text), regime="工程")
    assert not [f for f in unsure.findings if f.rule_id == "PUBL-CONTENT"]
    assert {r.outcome for r in unsure.results if r.rule_id == "PUBL-CONTENT"} == {"missing_data"}


# 上海市政府采购网 成交公告 (成交日期 2019.12.31), as quoted in a public repository's NLP sample (excerpt)
SH = """上海市交通委交通行业舆情监测成交公告
由上海欣声招标服务中心有限公司组织的上海市交通委交通行业舆情监测（项目编号:SHXM-00-20191216-1271,预算编号：00-20-00413，项目总金额：680000.00）的竞争性磋商方式的采购，于2019-12-20 16:00:00在上海市政府采购网发布采购信息，在上海市河南中路382弄1号717室评审。
经评审委员会评审，并经采购人确认，本次成交结果公布如下：
一、成交日期：2019.12.31
二、成交信息：
包为“上海市交通委交通行业舆情监测”的成交供应商：上海嘉道信息技术有限公司，成交供应商地址：嘉定工业区普惠路333号3幢1073室，成交金额：668082元
三、主要成交标的的名称、规格型号、数量、单价、服务要求：
交通行业舆情监测
四、评标委员会成员：
杨潇慧,于杨曜,华兆增
五、其他
代理收费金额：
1.02万元
"""
# 新疆 政府采购 网上超市 成交结果公示 (成交日期 2022-12-08), as crawled by a public repository (excerpt)
XJ = """乌鲁木齐市达坂城区西沟乡关于订书机的网上超市采购项目成交结果公示
乌鲁木齐市达坂城区西沟乡关于订书机的网上超市采购项目 （项目编号:1878427000019949100 ）采购已经结束，现将采购结果公示如下：
一、项目信息
项目名称:乌鲁木齐市达坂城区西沟乡关于订书机的网上超市采购项目采购项目
项目编号:1878427000019949100
项目联系人:赵婕
项目联系电话:0991-5942489
二、采购单位信息
采购单位名称:乌鲁木齐市达坂城区西沟乡
采购单位地址:乌鲁木齐市达坂城区西沟乡集镇
三、成交信息
成交日期:2022年12月8日
总成交金额（元）:25131 （人民币）
成交供应商名称、联系地址及成交金额:
序号
成交供应商名称
成交供应商地址
成交金额（元）
1
达坂城区达坂城镇金诺彩绘工作室
新疆维吾尔自治区乌鲁木齐市达坂城街149号+2号
25131.0
四、项目用途、简要技术要求及合同履行日期:
五、成交标的名称、规格型号、数量、单价、成交金额:
"""


def test_unlabelled_project_name_and_supplier_address_inline(checker):
    report = checker.check(_doc(SH))
    (f,) = report.findings
    # the title names the project; the supplier's address is printed inline after its name
    assert "项目名称" not in f.values["比较"] and "供应商地址" not in f.values["比较"]


def test_an_electronic_mall_order_names_no_panel(checker):
    """No 评审专家 to name, the supplier's address in its column, and no 公告期限 owed: 87号令 governs 招标, and an
    online-mall order is none (bench/unseen t5 is this notice in full)."""
    report = checker.check(_doc(XJ))
    assert report.findings == []
    notice = read_result_notice(_doc(XJ), "政府采购", "货物")
    assert [n for n, _ in notice.winners] == ["达坂城区达坂城镇金诺彩绘工作室"] and notice.missing == []


def test_a_correction_is_not_judged_by_the_wording_it_replaces(checker):
    replaced = checker.check(_doc("某设备采购项目更正公告\n一、更正事项\n1、原招标文件资格要求为：投标人须在本市注册或设有分支机构。\n"
                                  "2、现更正为：不限制投标人注册地。\n3、原招标文件评分标准为：投标人在本市有售后服务网点的得5分。"
                                  "现更正为：删除该评分项。\n"))
    assert replaced.document.doc_type == "澄清修改" and not replaced.findings
    added = checker.check(_doc("某设备采购项目更正公告\n一、更正事项\n1、评分标准补充：投标人在本市有售后服务网点的得5分。\n"))
    assert added.findings  # what a correction adds is judged


def test_winner_written_short_is_among_the_candidates(tmp_path):
    """The issue's false 违法: 甲建设集团有限公司 in the 中标通知书, 甲建设集团 in the 评标报告."""
    from checker.project.runner import ProjectChecker

    (tmp_path / "01_评标报告.txt").write_text(
        "某工程施工评标报告\n评标委员会由5人组成。\n| 排序 | 中标候选人 | 投标报价（万元） |\n| 1 | 甲建设集团 | 1126.45 |\n"
        "| 2 | 乙建筑工程有限公司 | 1138.20 |\n", encoding="utf-8")
    (tmp_path / "02_中标通知书.txt").write_text(
        "中标通知书\n甲建设集团有限公司：\n你单位被确定为中标人。\n某区人民医院（盖单位章）\n日期：2026年4月14日\n", encoding="utf-8")
    report = ProjectChecker().check_dir(tmp_path)
    assert not any(f.rule_id == "AWARD-OUTSIDE-CANDIDATES" for f in report.findings)
    assert next(r for r in report.results if r.rule_id == "AWARD-OUTSIDE-CANDIDATES").outcome.value == "no_flag"


def test_winner_in_the_wordings_of_unseen_notices():
    """bench/unseen s7 (a 中标通知书 form published as the notice), s6 (a two-column line without its colon), s10
    (中标公司名称 / 中标公司地址), s9 (中标供应商联系地址 as a column)."""
    letter = read_result_notice(_doc("中标结果公告\n四川省核工业地质局二八一大队 (中标人名称)：\n你单位被确定为中标人。"), "工程", None)
    assert [n for n, _ in letter.winners] == ["四川省核工业地质局二八一大队"]
    form = read_result_notice(_doc("中标结果公告\n中标单位 大连路灯设计安装工程有限责任公司\n"), "工程", None)
    assert [n for n, _ in form.winners] == ["大连路灯设计安装工程有限责任公司"]
    company = read_result_notice(_doc("中标公示\n中标公司名称：上海某贸易商行\n中标公司地址：上海市金山区某街88号\n"
                                      "采购人：某医院 地址：某路1号 电话：123 项目编号：X1 公告期限：1个工作日 2023年5月"),
                                 "政府采购", "货物")
    assert "中标（成交）供应商地址" in company.present
    bare = read_result_notice(_doc("中标公告\n中标供应商名称：上海某信息技术有限公司\n联系地址:：上海嘉定环城路200号\n"), "政府采购", "服务")
    assert "中标（成交）供应商地址" in bare.present  # w2: a bare 联系地址 under the winner
    column = read_result_notice(_doc("中标公告\n序号 中标供应商名称 中标供应商联系地址 中标金额(万元)\n"
                                     "1 北京某科技有限公司 北京市海淀区某街10号 517.9\n"), "政府采购", "服务")
    assert "中标（成交）供应商地址" in column.present


def test_the_notice_period_is_owed_from_order_87():
    """87号令 (2017-10-01) added the 公告期限: a 2016 notice owed none, a 2019 one does, an undated one is not known
    to owe it (bench/unseen s9, 2016)."""
    def missing(date_line: str, procedure: str = "公开招标") -> list[str]:
        return read_result_notice(_doc(f"某项目中标公告\n中标供应商名称：某科技有限公司\n{date_line}\n"), "政府采购", "服务",
                                  procedure).missing

    assert "公告期限" not in missing("公告时间 2016年06月06日")
    assert "公告期限" in missing("公告时间 2019年06月06日")
    assert "公告期限" not in missing("")
    assert "公告期限" not in missing("公告时间 2019年06月06日", "竞争性磋商")  # 87号令 governs 招标 only


def test_a_result_notice_is_dated_by_itself(checker):
    """It quotes the tender notice's date (招标公告发布日期); its signature, when later, is its own (bench/unseen t8).
    With no date of its own, the day the result was settled (成交日期) dates it (t4)."""
    quoted = checker.check(_doc("某项目中标公告\n招标公告发布日期：2017年09月12日\n中标供应商名称：某劳务有限公司\n"
                                "某检察院\n2017年 10月 12日\n"), regime="政府采购")
    assert str(quoted.document.doc_date) == "2017-10-12"
    settled = checker.check(_doc("某项目成交公告\n成交日期：2019.12.31\n成交供应商名称：某科技有限公司\n"), regime="政府采购")
    assert str(settled.document.doc_date) == "2019-12-31"


def test_a_notice_dated_only_by_its_deadline_takes_its_signature(checker):
    """bench/unseen v4: a 招标公告 signed 2021年5月12日 whose only labelled date is the deadline (2021年6月9日)."""
    report = checker.check(_doc("某派出所装修工程招标公告\n投标截止时间：2021年6月9日9时30分\n招标人：某城投公司\n2021年5月12日\n"))
    assert (str(report.document.doc_date), report.document.date_source) == ("2021-05-12", "落款日期")


# A result notice has no chapters: its 质疑 item may stand under an item whose heading names another role (its scores
# here). The whole document is one notice (vocab WHOLE_NOTICE_TYPES), so rules scoped to a 公告 read it. Wording of
# 辽宁机电职业技术学院's 成交结果公告 (2019-07-10, bench/clauses/timing.yaml), the window counted from the notice's own day.
CHALLENGE = "七、评分结果及其他事项\n参与本次采购活动的供应商如对以上成交结果有疑义，可自本通告发布之日起7个工作日内，请致电学院纪委：0415-3853922  黄老师。\n"


def test_a_result_notice_is_read_as_a_notice_throughout(checker):
    text = N02.replace("采购单位：", CHALLENGE + "采购单位：")
    report = checker.check(_doc(text))
    assert report.document.doc_type == "中标结果公告"
    assert [f.rule_id for f in report.findings if f.rule_id == "PROC-GP-CHALLENGE-WINDOW"] == ["PROC-GP-CHALLENGE-WINDOW"]
    # the same item in a 招标文件's 合同 chapter is no notice's: the rule's scope leaves it alone
    contract = "第五章 合同条款\n" + CHALLENGE.split("\n", 1)[1]
    report = checker.check(_doc("某某学院工作服采购项目\n竞争性磋商文件\n" + contract), doc_type="招标文件",
                           regime="政府采购")
    assert not [f for f in report.findings if f.rule_id == "PROC-GP-CHALLENGE-WINDOW"]
