//! The notice (通报) of a confirmed common problem to its functional department, as DOCX laid
//! out as official documents are (`documents`).

use chrono::NaiveDate;
use xuncha_api::rounds::Term;
use xuncha_api::statistics::ConfirmedProblem;
use xuncha_api::Lang;

use crate::documents::{self, body, heading, right, run, BODY_FONT, SIZE_3};
use crate::Result;

use crate::documents::chinese_date;

/// The paragraphs of the notice as text, in order: what the document says, and what the
/// printable page shows.
pub struct Notice {
    pub title: String,
    pub addressee: String,
    pub opening: String,
    pub sections: Vec<(String, Vec<String>)>,
    pub closing: String,
    pub sender: String,
    pub date: String,
}

pub fn notice(p: &ConfirmedProblem, term: &Term, today: NaiveDate) -> Notice {
    let zh = Lang::Zh;
    let mut by_township: Vec<(String, Vec<&str>)> = Vec::new();
    for f in &p.findings {
        let township = if f.township.is_empty() {
            "其他".to_string()
        } else {
            f.township.clone()
        };
        match by_township.iter_mut().find(|(t, _)| *t == township) {
            Some((_, orgs)) if orgs.contains(&f.org_name.as_str()) => {}
            Some((_, orgs)) => orgs.push(&f.org_name),
            None => by_township.push((township, vec![&f.org_name])),
        }
    }
    let spread = by_township
        .iter()
        .map(|(t, orgs)| format!("{t}{}（{}）", orgs.len(), orgs.join("、")))
        .collect::<Vec<_>>()
        .join("；");
    let findings: Vec<String> = p
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            format!(
                "{}. {}{}：{}",
                i + 1,
                f.township,
                f.org_name,
                f.title.trim_end_matches('。')
            ) + "。"
        })
        .collect();
    let suggestion: Vec<String> = if p.suggestion.trim().is_empty() {
        vec![format!(
            "建议{}结合职责，对全县同类问题开展排查，完善制度，加强指导监督，督促相关村（社区）举一反三、抓好整改。",
            p.department
        )]
    } else {
        p.suggestion
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    };
    Notice {
        title: format!("关于{}问题的通报", p.label.trim_end_matches('。')),
        addressee: format!("{}：", p.department),
        opening: format!(
            "{}，巡察组在{}个村（社区）发现同类问题{}个，涉及{}个乡镇（街道），属于“{}”方面的共性问题。现将有关情况通报如下。",
            term.name,
            p.organisations,
            p.findings.len(),
            by_township.len(),
            p.focus.label(zh)
        ),
        sections: vec![
            ("一、问题表现".into(), findings),
            ("二、分布情况".into(), vec![format!("{spread}。")]),
            ("三、工作建议".into(), suggestion),
        ],
        closing: "请于收到本通报之日起一个月内，将研究处理和整改情况书面反馈巡察工作领导小组办公室。"
            .into(),
        sender: format!("{}巡察工作领导小组办公室", term.committee_name),
        date: chinese_date(today),
    }
}

pub fn docx(n: &Notice) -> Result<Vec<u8>> {
    let mut doc = documents::official()
        .add_paragraph(documents::title(&n.title))
        // One empty line under the title, as the format asks.
        .add_paragraph(documents::blank())
        .add_paragraph(
            docx_rs::Paragraph::new()
                .add_run(run(&n.addressee, BODY_FONT, SIZE_3))
                .line_spacing(documents::line()),
        )
        .add_paragraph(body(&n.opening));
    for (title, lines) in &n.sections {
        doc = doc.add_paragraph(heading(title));
        for l in lines {
            doc = doc.add_paragraph(body(l));
        }
    }
    doc = doc
        .add_paragraph(body(&n.closing))
        .add_paragraph(documents::blank())
        .add_paragraph(right(&n.sender))
        .add_paragraph(right(&n.date));
    documents::pack(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::{mm, paragraphs};
    use xuncha_api::checklists::FocusPoint;
    use xuncha_api::statistics::GroupedFinding;

    fn problem() -> ConfirmedProblem {
        let finding = |org: &str, township: &str| GroupedFinding {
            id: format!("f-{org}"),
            target_id: "t".into(),
            title: "村集体资金白条入账".into(),
            org_name: org.into(),
            township: township.into(),
        };
        ConfirmedProblem {
            id: "cp".into(),
            term_id: "term".into(),
            label: "村集体资金白条入账".into(),
            focus: FocusPoint::Responsibility,
            department: "县农业农村局".into(),
            suggestion: String::new(),
            threshold: 0.2,
            confirmed_by: "管理员".into(),
            confirmed_at: chrono::Utc::now(),
            findings: vec![
                finding("青石村", "城关镇"),
                finding("柳河村", "城关镇"),
                finding("王家村", "河口乡"),
            ],
            added: 0,
            organisations: 3,
            townships: vec!["城关镇".into(), "河口乡".into()],
        }
    }

    fn term() -> Term {
        Term {
            id: "term".into(),
            committee_org_id: "o".into(),
            committee_name: "中共青山县委".into(),
            name: "十五届县委第一轮巡察".into(),
            start_date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            end_date: NaiveDate::from_ymd_opt(2030, 12, 31).unwrap(),
        }
    }

    #[test]
    fn the_notice_says_the_problem_its_spread_and_a_suggestion() {
        let n = notice(
            &problem(),
            &term(),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        );
        assert_eq!(n.title, "关于村集体资金白条入账问题的通报");
        assert_eq!(n.addressee, "县农业农村局：");
        assert!(n
            .opening
            .contains("在3个村（社区）发现同类问题3个，涉及2个乡镇（街道）"));
        assert_eq!(
            n.sections[1].1,
            vec!["城关镇2（青石村、柳河村）；河口乡1（王家村）。"]
        );
        assert!(n.sections[2].1[0].starts_with("建议县农业农村局"));
        assert_eq!(n.sender, "中共青山县委巡察工作领导小组办公室");
        assert_eq!(n.date, "2026年12月2日");
    }

    #[test]
    fn the_docx_reads_back_with_its_title_headings_and_page_layout() {
        let n = notice(
            &problem(),
            &term(),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        );
        let bytes = docx(&n).unwrap();
        let text = paragraphs(&bytes).unwrap();
        let doc = docx_rs::read_docx(&bytes).unwrap();
        assert_eq!(text[0], n.title);
        for want in [
            "一、问题表现",
            "二、分布情况",
            "三、工作建议",
            "县农业农村局：",
        ] {
            assert!(text.iter().any(|t| t == want), "{want} in {text:#?}");
        }
        assert!(text
            .iter()
            .any(|t| t.contains("柳河村：村集体资金白条入账。")));
        let margin = &doc.document.section_property.page_margin;
        assert_eq!(
            (margin.top, margin.bottom, margin.left, margin.right),
            (mm(37.0), mm(35.0), mm(28.0), mm(26.0))
        );
    }
}
