//! The inspector's stationing week on site with no signal, as a browser test and the
//! stationing bench both work through it: what it types, and the steps on the target's page.

use fantoccini::Locator;

use crate::Browser;

pub const FINDINGS_ON_SITE: [&str; 3] = [
    "惠民补贴发放不透明",
    "村务公开栏未按季度更新",
    "三会一课记录不全",
];
/// What the first finding's 立行立改 task says.
pub const ON_THE_SPOT_MEASURES: &str = "当场公开补贴发放名册";
pub const TALKS_ON_SITE: [(&str, &str); 2] = [
    ("村民甲", "反映低保评定不公开"),
    ("村会计", "说明集体资金白条入账的经过"),
];
pub const PETITION_ON_SITE: &str = "反映村道硬化工程款去向不明";
pub const VISIT_NOTE: &str = "反映低保评定不公开";
/// The stationing edits [`on_site`] leaves waiting: twelve visits (the first one recorded,
/// which merges with its unsent addition), what the audit office said and a problem expected.
pub const STATION_EDITS: usize = 14;

/// What the field labelled `label` holds now.
pub async fn value_of(b: &Browser, label: &str) -> Option<String> {
    b.field(label).await.prop("value").await.unwrap()
}

/// A record saved on the phone and shown as waiting to be sent.
pub async fn saved_waiting(b: &Browser, text: &str) {
    b.find(Locator::XPath(&format!(
        "//ul[contains(@class,'saved-work')]/li[contains(.,'{text}')][contains(.,'待发送')]"
    )))
    .await;
}

/// The row of a stationing list or the visit list that names `text`, and a button in it.
pub async fn row_button(b: &Browser, row_class: &str, text: &str, button: &str) {
    b.find(Locator::XPath(&format!(
        "//li[contains(@class,'{row_class}')][contains(.,'{text}')]//button[normalize-space()='{button}']"
    )))
    .await
    .click()
    .await
    .unwrap();
}

pub async fn open_details(b: &Browser, summary: &str) {
    b.find(Locator::XPath(&format!(
        "//summary[normalize-space()='{summary}']"
    )))
    .await
    .click()
    .await
    .unwrap();
}

/// The leader's week on the open target page, on a team with 王芳 and a stationing period:
/// twelve people to visit, one visit made, what the audit office said, a problem expected from
/// it and tested by the visit, three findings (the first from the visit), a 立行立改 task for the
/// first, two talks and a petition taken down from the visit. Each is checked to be waiting.
pub async fn on_site(b: &Browser) {
    for i in 1..=12 {
        b.click_button("添加走访对象").await;
        b.fill("走访对象姓名", &format!("村民{i:02}")).await;
        b.click_button("保存到本机并发送").await;
        b.wait_for_text(&format!("村民{i:02} · 未走访")).await;
    }
    row_button(b, "visit", "村民01", "记录走访").await;
    b.fill("走访情况", VISIT_NOTE).await;
    b.click_button("保存到本机并发送").await;
    b.wait_for_text("反映低保评定不公开").await;
    b.click_button("添加收集的信息").await;
    b.find(Locator::XPath(
        "//label[normalize-space()='情况来源单位']/following-sibling::select/option[normalize-space()='审计']",
    ))
    .await
    .click()
    .await
    .unwrap();
    b.field("已回复").await.click().await.unwrap();
    b.fill("反映的情况", "2025年审计发现集体资金白条入账").await;
    b.click_button("保存到本机并发送").await;
    b.wait_for_text("2025年审计发现集体资金白条入账").await;
    b.click_button("添加预设问题").await;
    b.fill("预设问题", "低保评定未公示").await;
    b.find(Locator::XPath(
        "//form[contains(@class,'prep-form')]//label[normalize-space()='村民01']/input",
    ))
    .await
    .click()
    .await
    .unwrap();
    b.click_button("保存到本机并发送").await;
    b.wait_for_text("低保评定未公示").await;
    // Three findings written on site.
    // The first comes from the visit: what the villager said is its description.
    row_button(b, "visit", "村民01", "据此登记问题").await;
    assert_eq!(value_of(b, "具体情况").await.as_deref(), Some(VISIT_NOTE));
    for title in FINDINGS_ON_SITE {
        b.fill("问题概述", title).await;
        b.find(Locator::XPath(
            "//details[@id='new-finding']//button[@type='submit']",
        ))
        .await
        .click()
        .await
        .unwrap();
        b.find(Locator::XPath(&format!(
            "//ul[contains(@class,'saved-work')]/li[contains(.,'{title}')][contains(.,'待发送')]"
        )))
        .await;
    }

    // The first is fixed on the spot (立行立改); the others wait for the feedback.
    for later in &FINDINGS_ON_SITE[1..] {
        b.field(&format!("本次生成：{later}"))
            .await
            .click()
            .await
            .unwrap();
    }
    b.field("立行立改：驻村期间整改到位，时限在进驻期内（默认进驻最后一天）")
        .await
        .click()
        .await
        .unwrap();
    b.fill(
        &format!("整改措施：{}", FINDINGS_ON_SITE[0]),
        ON_THE_SPOT_MEASURES,
    )
    .await;
    b.click_button("生成整改任务").await;
    saved_waiting(b, ON_THE_SPOT_MEASURES).await;
    // Two talks, and a petition handed over in person.
    open_details(b, "新增谈话记录").await;
    for (i, (person, summary)) in TALKS_ON_SITE.into_iter().enumerate() {
        b.fill("谈话对象", person).await;
        if i == 0 {
            for name in ["张伟", "王芳"] {
                b.find(Locator::XPath(&format!(
                    "//details[contains(@class,'new-talk')]//label[normalize-space()='{name}']/input"
                )))
                .await
                .click()
                .await
                .unwrap();
            }
        }
        b.fill("谈话内容摘要", summary).await;
        b.click_button("保存谈话记录").await;
        saved_waiting(b, person).await;
    }
    // What a villager said on a visit, taken down as a petition received in person.
    row_button(b, "visit", "村民01", "登记为信访举报").await;
    assert_eq!(value_of(b, "反映内容").await.as_deref(), Some(VISIT_NOTE));
    b.fill("反映内容", PETITION_ON_SITE).await;
    b.click_button("保存信访举报").await;
    saved_waiting(b, PETITION_ON_SITE).await;
}
