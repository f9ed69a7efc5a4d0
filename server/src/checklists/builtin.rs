//! The built-in checklist for villages and communities (村、社区巡察检查清单), under the four
//! focus points as adapted for villages, and its self-check (自查) variant for the liaison.

use xuncha_api::checklists::{
    AnswerType, FocusPoint, Item, Method, ProblemRule, Section, TemplateContent, YesNo,
};

use Method::{Documents as Doc, Survey, Talk, Visit};

/// A yes/no item where "否" is a problem.
fn yes(id: &str, prompt: &str, method: Method, evidence: bool) -> Item {
    Item {
        id: id.into(),
        prompt: prompt.into(),
        method,
        answer: AnswerType::YesNo,
        required: true,
        evidence_required: evidence,
        problem: ProblemRule {
            yes_no: Some(YesNo::No),
            ..Default::default()
        },
    }
}

/// A yes/no item where "是" is a problem (the question asks about a wrong).
fn wrong(id: &str, prompt: &str, method: Method, evidence: bool) -> Item {
    Item {
        problem: ProblemRule {
            yes_no: Some(YesNo::Yes),
            ..Default::default()
        },
        ..yes(id, prompt, method, evidence)
    }
}

fn number(
    id: &str,
    prompt: &str,
    method: Method,
    max: f64,
    unit: &str,
    below: Option<f64>,
    above: Option<f64>,
) -> Item {
    Item {
        id: id.into(),
        prompt: prompt.into(),
        method,
        answer: AnswerType::Number {
            min: 0.0,
            max,
            unit: unit.into(),
        },
        required: true,
        evidence_required: false,
        problem: ProblemRule {
            below,
            above,
            ..Default::default()
        },
    }
}

fn choice(id: &str, prompt: &str, method: Method, options: &[&str], problems: &[&str]) -> Item {
    Item {
        id: id.into(),
        prompt: prompt.into(),
        method,
        answer: AnswerType::Choice {
            options: options.iter().map(|s| s.to_string()).collect(),
        },
        required: true,
        evidence_required: false,
        problem: ProblemRule {
            options: problems.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        },
    }
}

fn text(id: &str, prompt: &str, method: Method) -> Item {
    Item {
        id: id.into(),
        prompt: prompt.into(),
        method,
        answer: AnswerType::Text { max_len: 1000 },
        required: false,
        evidence_required: false,
        problem: ProblemRule::default(),
    }
}

pub fn village() -> TemplateContent {
    TemplateContent {
        sections: vec![
            Section {
                focus: FocusPoint::Policies,
                title: "惠民利民、安民富民政策落实和群众急难愁盼问题".into(),
                items: vec![
                    yes(
                        "p-01",
                        "低保对象是否经户申请、村民代表民主评议并张榜公示？",
                        Doc,
                        true,
                    ),
                    wrong(
                        "p-02",
                        "是否存在村干部及其近亲属违规享受低保、特困供养等待遇？",
                        Doc,
                        true,
                    ),
                    yes(
                        "p-03",
                        "耕地地力保护补贴等惠农补贴是否按实际面积足额、及时发放到户？",
                        Doc,
                        true,
                    ),
                    wrong(
                        "p-04",
                        "是否存在截留、挪用、虚报冒领惠农补贴资金的情况？",
                        Doc,
                        true,
                    ),
                    yes(
                        "p-05",
                        "脱贫户、监测户帮扶措施是否落实到户，帮扶台账是否真实？",
                        Visit,
                        true,
                    ),
                    yes(
                        "p-06",
                        "乡村振兴衔接资金项目是否按计划实施并发挥效益？",
                        Visit,
                        true,
                    ),
                    yes(
                        "p-07",
                        "农村危房改造对象认定和补助发放是否公开、准确？",
                        Doc,
                        false,
                    ),
                    yes(
                        "p-08",
                        "困难群众医疗救助、临时救助是否及时足额？",
                        Talk,
                        false,
                    ),
                    number(
                        "p-09",
                        "本年度群众反映的急难愁盼问题（件）",
                        Doc,
                        1000.0,
                        "件",
                        None,
                        None,
                    ),
                    number(
                        "p-10",
                        "其中尚未解决的（件）",
                        Doc,
                        1000.0,
                        "件",
                        None,
                        Some(0.0),
                    ),
                    choice(
                        "p-11",
                        "群众对惠民政策落实的总体评价",
                        Survey,
                        &["满意", "基本满意", "不满意"],
                        &["不满意"],
                    ),
                    text("p-12", "走访群众反映的其他政策落实问题", Visit),
                ],
            },
            Section {
                focus: FocusPoint::Responsibility,
                title: "群众身边不正之风和腐败问题、村集体“三资”管理、村务公开".into(),
                items: vec![
                    yes(
                        "r-01",
                        "村党组织是否每年研究部署全面从严治党工作并有记录？",
                        Doc,
                        false,
                    ),
                    yes("r-02", "村务监督委员会是否正常履行监督职责？", Talk, false),
                    yes(
                        "r-03",
                        "村集体资金是否实行“村账镇管”，收支有审批、有凭据？",
                        Doc,
                        true,
                    ),
                    wrong(
                        "r-04",
                        "是否存在白条入账、坐收坐支、公款私存等情况？",
                        Doc,
                        true,
                    ),
                    yes(
                        "r-05",
                        "村集体资产是否建立台账，出租、发包是否经民主程序并公开？",
                        Doc,
                        true,
                    ),
                    yes(
                        "r-06",
                        "集体土地、山林、水面等资源发包合同是否规范、价格是否合理？",
                        Doc,
                        true,
                    ),
                    wrong(
                        "r-07",
                        "是否存在村干部亲属违规承包集体资产资源？",
                        Talk,
                        true,
                    ),
                    yes(
                        "r-08",
                        "村级工程项目是否按规定招投标或比选，并经“四议两公开”？",
                        Doc,
                        true,
                    ),
                    wrong(
                        "r-09",
                        "是否存在工程项目虚报工程量、套取资金的情况？",
                        Visit,
                        true,
                    ),
                    yes(
                        "r-10",
                        "村务、财务是否按季度（重要事项随时）公开？",
                        Visit,
                        true,
                    ),
                    choice(
                        "r-11",
                        "村务公开栏内容更新情况",
                        Visit,
                        &["及时更新", "偶有滞后", "长期未更新"],
                        &["长期未更新"],
                    ),
                    wrong(
                        "r-12",
                        "是否存在违规吃喝、违规发放补贴福利等“四风”问题？",
                        Doc,
                        true,
                    ),
                    number(
                        "r-13",
                        "近三年村集体经营性收入（万元）",
                        Doc,
                        100000.0,
                        "万元",
                        None,
                        None,
                    ),
                    text(
                        "r-14",
                        "群众反映的“微腐败”线索（仅记录事实，不写评价）",
                        Talk,
                    ),
                ],
            },
            Section {
                focus: FocusPoint::Organisation,
                title: "领导班子和党支部建设、“三会一课”、发展党员".into(),
                items: vec![
                    yes(
                        "o-01",
                        "村党组织书记是否履行第一责任人职责，班子是否团结？",
                        Talk,
                        false,
                    ),
                    yes("o-02", "“三会一课”是否按规定召开并如实记录？", Doc, true),
                    number(
                        "o-03",
                        "本年度召开支部党员大会（次）",
                        Doc,
                        100.0,
                        "次",
                        Some(4.0),
                        None,
                    ),
                    number(
                        "o-04",
                        "本年度讲党课（次）",
                        Doc,
                        100.0,
                        "次",
                        Some(4.0),
                        None,
                    ),
                    yes("o-05", "组织生活会和民主评议党员是否按时开展？", Doc, false),
                    yes("o-06", "发展党员是否严格按程序、手续完备？", Doc, true),
                    wrong(
                        "o-07",
                        "是否存在“带病提拔”或违规发展党员的情况？",
                        Doc,
                        true,
                    ),
                    yes("o-08", "党费是否按规定收缴、使用和管理？", Doc, false),
                    yes(
                        "o-09",
                        "流动党员是否纳入管理并正常参加组织生活？",
                        Talk,
                        false,
                    ),
                    yes(
                        "o-10",
                        "村“两委”班子成员是否存在受过处分、联审不合格情况已妥善处理？",
                        Doc,
                        false,
                    ),
                    choice(
                        "o-11",
                        "后备力量和年轻干部培养情况",
                        Talk,
                        &["有计划、有储备", "储备不足", "无后备"],
                        &["无后备"],
                    ),
                    text("o-12", "党员群众对班子的主要意见", Survey),
                ],
            },
            Section {
                focus: FocusPoint::Rectification,
                title: "以往巡察、审计发现问题整改".into(),
                items: vec![
                    yes(
                        "c-01",
                        "上一轮巡察反馈问题是否建立整改台账、逐项销号？",
                        Doc,
                        true,
                    ),
                    number(
                        "c-02",
                        "上一轮巡察反馈问题（个）",
                        Doc,
                        500.0,
                        "个",
                        None,
                        None,
                    ),
                    number(
                        "c-03",
                        "其中尚未完成整改的（个）",
                        Doc,
                        500.0,
                        "个",
                        None,
                        Some(0.0),
                    ),
                    yes(
                        "c-04",
                        "审计发现问题是否整改到位，资金是否追回？",
                        Doc,
                        true,
                    ),
                    wrong(
                        "c-05",
                        "是否存在虚假整改、敷衍整改、“纸面整改”？",
                        Visit,
                        true,
                    ),
                    yes("c-06", "整改情况是否向党员群众公开？", Visit, false),
                    yes("c-07", "巡察移交的问题线索是否已按规定处置？", Talk, false),
                    text("c-08", "需要巡察组重点关注的其他事项", Talk),
                ],
            },
        ],
    }
}

/// The liaison's own self-check: what a village can check and answer about itself (no
/// talks or surveys, which are the team's).
pub fn village_self_check() -> TemplateContent {
    let mut content = village();
    for section in &mut content.sections {
        section.items.retain(|i| matches!(i.method, Doc | Visit));
    }
    content
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_templates_are_valid_and_sized_as_offices_use_them() {
        let v = village();
        v.validate().unwrap();
        let n = v.items().count();
        assert!((40..=60).contains(&n), "{n} items");
        assert_eq!(
            v.sections.iter().map(|s| s.focus).collect::<Vec<_>>(),
            FocusPoint::ALL.to_vec()
        );
        let s = village_self_check();
        s.validate().unwrap();
        assert!(s.items().all(|(_, i)| matches!(i.method, Doc | Visit)));
        assert!(s.items().count() >= 30);
    }
}
