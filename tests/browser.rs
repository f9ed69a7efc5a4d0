//! What people do, in headless Chromium against the real server and the built client.

use fantoccini::Locator;
use xuncha_api::orgs::OrgSummary;
use xuncha_e2e::week::{
    self, open_details, row_button, saved_waiting, value_of, FINDINGS_ON_SITE,
    ON_THE_SPOT_MEASURES, PETITION_ON_SITE, TALKS_ON_SITE, VISIT_NOTE,
};
use xuncha_e2e::{spawn_app, spawn_app_of, Browser, Office};

#[tokio::test]
async fn an_admin_signs_in_and_finds_a_village_in_the_tree() {
    let base = spawn_app().await;
    let b = Browser::open(1280, 860).await;
    b.goto(&base).await;
    b.heading("巡察工作平台").await;
    b.screenshot("sign-in-desktop").await;

    // Office staff sign in on the small field app and move on to the office app.
    b.sign_in(&base, "admin").await;
    b.heading("全覆盖台账").await;
    b.link("组织架构").await.click().await.unwrap();
    b.heading("组织架构").await;
    // The county is open at the root of the tree.
    b.link("青岚县").await;

    // Search by pinyin initials, then open the result.
    b.fill("搜索组织", "qsc").await;
    b.wait_for_text("1 个结果").await;
    b.find(Locator::XPath(
        "//div[contains(@class,'search-results')]//a[contains(.,'青石村')]",
    ))
    .await
    .click()
    .await
    .unwrap();
    b.heading("青石村").await;
    b.wait_for_text("村情基本数据").await;
    // The tree opened the way down to it and marks it as current.
    let current = b
        .find(Locator::XPath("//nav//a[@aria-current='true']"))
        .await;
    assert_eq!(current.text().await.unwrap(), "青石村");
    assert!(b
        .client
        .current_url()
        .await
        .unwrap()
        .path()
        .starts_with("/office/orgs/"));
    b.screenshot("admin-tree-desktop").await;
    b.close().await;
}

/// Opens a node of the organisation tree by its toggle's label.
async fn open_node(b: &Browser, name: &str) {
    b.find(Locator::XPath(&format!(
        "//button[@aria-label='展开 {name}']"
    )))
    .await
    .click()
    .await
    .unwrap();
}

/// What the page fetched so far (the browser's resource timing), as paths with queries.
async fn fetched(b: &Browser) -> Vec<String> {
    let v = b
        .eval(
            "return performance.getEntriesByType('resource') \
             .map(e => { const u = new URL(e.name); return u.pathname + u.search; });",
        )
        .await;
    serde_json::from_value(v).unwrap()
}

/// 信创 desktops and older 360 browsers run Chromium 86 kernels: WebAssembly without
/// reference types. The office app comes to them as its baseline build, and works. Made here
/// from this Chromium: a Chromium 86 user agent and a WebAssembly that fails the probe.
#[tokio::test]
async fn an_office_on_a_chromium_86_kernel_gets_the_baseline_build_and_finds_a_village() {
    let base = spawn_app().await;
    let b = Browser::open(1280, 860).await;
    b.as_engine_without_reference_types(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
         Chrome/86.0.4240.198 Safari/537.36",
    )
    .await;
    b.sign_in(&base, "admin").await;
    b.heading("全覆盖台账").await;
    b.link("组织架构").await.click().await.unwrap();
    b.heading("组织架构").await;
    b.link("青岚县").await;
    let wasm = b.wasm_fetched().await;
    assert!(
        wasm.len() == 1 && wasm[0].ends_with("/xuncha-office-baseline_bg.wasm"),
        "{wasm:?}"
    );
    b.close().await;
}

#[tokio::test]
async fn a_city_office_opens_the_tree_a_level_at_a_time_and_finds_a_village_in_another_county() {
    let base = spawn_app_of(xuncha_server::demo::Size {
        cities: 2,
        counties_per_city: 2,
        townships: 2,
        villages_per_township: 3,
        departments: 1,
        rounds: false,
        past_terms: 0,
    })
    .await;
    let b = Browser::open(1280, 860).await;
    b.sign_in(&base, "admin").await;
    b.heading("全覆盖台账").await;
    b.link("组织架构").await.click().await.unwrap();
    b.heading("组织架构").await;

    // The cities, closed: nothing under them is sent before it is opened.
    let city = b
        .find(Locator::XPath(
            "//nav[@aria-label='组织树']/ul/li[1]/div//a",
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(!b.body_text().await.contains("青岚县"));
    let asked = fetched(&b).await;
    assert!(
        !asked.iter().any(|p| p == "/api/orgs"),
        "the whole list is never asked for: {asked:?}"
    );
    assert!(asked.iter().any(|p| p == "/api/orgs/children"));

    // A city opens to its counties; a county comes whole, so its townships open at once.
    open_node(&b, &city).await;
    let county = b
        .find(Locator::XPath(
            "//nav[@aria-label='组织树']/ul/li[1]/ul/li[1]/div//a",
        ))
        .await
        .text()
        .await
        .unwrap();
    open_node(&b, &county).await;
    let township = b
        .find(Locator::XPath(
            "//nav[@aria-label='组织树']/ul/li[1]/ul/li[1]/ul/li[div/span[@class='level' and .='乡镇']][1]/div//a",
        ))
        .await
        .text()
        .await
        .unwrap();
    let subtrees = fetched(&b)
        .await
        .iter()
        .filter(|p| p.ends_with("/subtree"))
        .count();
    assert_eq!(subtrees, 1, "the county in one request");
    let tree_requests = |asked: Vec<String>| {
        asked
            .iter()
            .filter(|p| p.starts_with("/api/orgs/") && !p.contains("/search"))
            .count()
    };
    let before = tree_requests(fetched(&b).await);
    open_node(&b, &township).await;
    b.find(Locator::XPath(
        "//nav[@aria-label='组织树']//li[div/span[@class='level' and .='村']]/div//a",
    ))
    .await;
    assert_eq!(
        tree_requests(fetched(&b).await),
        before,
        "the township's villages came with the county"
    );
    b.screenshot("city-tree-by-level-desktop").await;

    // Searched on the server; a village in a county never opened is found, opened, and the
    // tree loads the way down to it.
    b.fill("搜索组织", "qsc").await;
    b.wait_for_text("个结果").await;
    let hits = b
        .client
        .find_all(Locator::XPath(
            "//div[contains(@class,'search-results')]//a[contains(.,'青石村')]",
        ))
        .await
        .unwrap();
    assert!(hits.len() >= 2, "a 青石村 in every county");
    hits.last().unwrap().click().await.unwrap();
    b.heading("青石村").await;
    let current = b
        .find(Locator::XPath(
            "//nav[@aria-label='组织树']//a[@aria-current='true']",
        ))
        .await;
    assert_eq!(current.text().await.unwrap(), "青石村");
    b.screenshot("city-tree-found-desktop").await;
    b.close().await;
}

#[tokio::test]
async fn a_village_liaison_on_a_phone_sees_only_its_village_and_saves_basic_data() {
    let base = spawn_app().await;
    let b = Browser::open(360, 740).await;
    b.sign_in(&base, "qingshi").await;
    b.heading("青石村").await;
    b.screenshot("unit-home-phone").await;

    // Its navigation has no organisation tree, user list or audit log.
    let nav = b
        .find(Locator::XPath("//nav[@aria-label='主导航']"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        nav.contains("本单位") && !nav.contains("组织架构") && !nav.contains("用户管理"),
        "{nav}"
    );

    // A bad number is refused next to its field, in Chinese; nothing is sent.
    b.fill("户数", "很多").await;
    b.click_button("保存").await;
    b.wait_for_text("格式不正确").await;
    b.fill("户数", "412").await;
    b.fill("人口", "1377").await;
    b.click_button("保存").await;
    b.wait_for_text("已保存").await;
    b.screenshot("unit-saved-phone").await;

    // What it saved is on the server, and another village stays out of reach.
    let api = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    api.post(format!("{base}/api/auth/login"))
        .json(
            &serde_json::json!({ "username": "admin", "password": xuncha_server::demo::PASSWORD }),
        )
        .send()
        .await
        .unwrap();
    let orgs: Vec<OrgSummary> = api
        .get(format!("{base}/api/orgs"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mine = orgs.iter().find(|o| o.name == "青石村").unwrap();
    let detail: serde_json::Value = api
        .get(format!("{base}/api/orgs/{}", mine.id))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["basic"]["households"], 412);
    assert_eq!(detail["basic"]["population"], 1377);

    let other = orgs
        .iter()
        .find(|o| o.level == xuncha_api::orgs::OrgLevel::Village && o.id != mine.id)
        .unwrap();
    // The office app sends a liaison back to its own page; the other village never shows.
    b.goto(&format!("{base}/office/orgs/{}", other.id)).await;
    b.heading("青石村").await;
    assert!(!b
        .client
        .current_url()
        .await
        .unwrap()
        .path()
        .starts_with("/office"));
    assert!(!b.body_text().await.contains(&other.name));
    b.close().await;
}

#[tokio::test]
async fn a_wrong_password_is_shown_at_the_field_and_english_is_remembered() {
    let base = spawn_app().await;
    let b = Browser::open(360, 740).await;
    b.goto(&base).await;
    b.fill("用户名", "admin").await;
    b.fill("密码", "not-the-password").await;
    b.click_button("登录").await;
    b.wait_for_text("用户名或密码错误").await;
    let password = b.field("密码").await;
    assert_eq!(
        password.attr("aria-invalid").await.unwrap().as_deref(),
        Some("true")
    );

    b.click_button("English").await;
    b.heading("Xuncha Inspection Platform").await;
    b.wait_for_text("Wrong user name or password").await;
    b.client.refresh().await.unwrap();
    b.heading("Xuncha Inspection Platform").await;
    b.field("User name").await;
    b.close().await;
}

#[tokio::test]
async fn an_admin_creates_a_round_assigns_a_township_and_the_ledger_moves() {
    let base = spawn_app().await;
    // A term to work in (the office sets it up once per Party committee term).
    Office::sign_in(&base).await.term().await;

    let b = Browser::open(1280, 900).await;
    b.sign_in(&base, "admin").await;
    b.heading("全覆盖台账").await;
    let township_row = "//table[contains(@class,'townships')]//tr[th[contains(.,'青石镇')]]";
    let row = b.find(Locator::XPath(township_row)).await;
    assert!(
        row.text().await.unwrap().contains("0%"),
        "{}",
        row.text().await.unwrap()
    );
    b.screenshot("ledger-before").await;

    // A new round.
    b.link("巡察轮次").await.click().await.unwrap();
    b.heading("巡察轮次").await;
    b.find(Locator::XPath(
        "//summary[normalize-space()='新建巡察轮次']",
    ))
    .await
    .click()
    .await
    .unwrap();
    b.fill("轮次名称", "2026年第一轮巡察").await;
    b.set_value("开始日期", "2026-03-01").await;
    b.set_value("结束日期", "2026-05-31").await;
    b.click_button("创建").await;
    b.link("2026年第一轮巡察").await.click().await.unwrap();
    b.heading("2026年第一轮巡察").await;

    // A team, then the villages of one township.
    b.find(Locator::XPath("//summary[normalize-space()='组建巡察组']"))
        .await
        .click()
        .await
        .unwrap();
    b.fill("巡察组名称", "第一巡察组").await;
    b.field("组长").await.select_by_label("张伟").await.unwrap();
    b.fill("对外联系电话", "0571-88001234").await;
    b.click_button("组建巡察组").await;
    b.wait_for_text("第一巡察组：张伟").await;
    b.field("选择乡镇（街道）")
        .await
        .select_by_label("青石镇")
        .await
        .unwrap();
    b.wait_for_text("青石村").await;
    b.set_value("进驻日期", "2026-03-10").await;
    b.set_value("撤离日期", "2026-04-20").await;
    b.click_button("确定").await;
    b.find(Locator::XPath(
        "//table[contains(@class,'targets')]//tr[th[a[normalize-space()='青石村']] and td[normalize-space()='青石镇']]",
    ))
    .await;
    b.screenshot("round-targets").await;

    // The ledger now shows the township covered.
    b.link("全覆盖台账").await.click().await.unwrap();
    let started = std::time::Instant::now();
    loop {
        let text = b
            .find(Locator::XPath(township_row))
            .await
            .text()
            .await
            .unwrap_or_default();
        if text.contains("100%") {
            break;
        }
        assert!(started.elapsed().as_secs() < 15, "{text}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Stationed but not yet fed back: 有形 only, listed as 待反馈 with the team.
    b.wait_for_text("待反馈 4").await;
    b.field("显示")
        .await
        .select_by_label("待反馈")
        .await
        .unwrap();
    b.find(Locator::XPath(
        "//table[contains(@class,'orgs')]//tr[td[normalize-space()='青石村'] and td[normalize-space()='待反馈'] and td[normalize-space()='第一巡察组']]",
    ))
    .await;
    b.heading("栏目说明").await;
    b.screenshot("ledger-after").await;
    b.close().await;
}

/// Screenshots of a running demo (`cargo xtask run`) for people to look at:
/// `XUNCHA_URL=http://127.0.0.1:8080 cargo test -p xuncha-e2e -- --ignored demo_screenshots`.
#[tokio::test]
#[ignore]
async fn demo_screenshots() {
    let base = std::env::var("XUNCHA_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
    let b = Browser::open(1280, 1000).await;
    b.sign_in(&base, "admin").await;
    b.heading("全覆盖台账").await;
    b.wait_for_text("按乡镇").await;
    b.screenshot("demo-ledger-desktop").await;
    b.link("巡察轮次").await.click().await.unwrap();
    b.wait_for_text("2026年第七轮巡察").await;
    b.screenshot("demo-rounds-desktop").await;
    b.link("整改台账").await.click().await.unwrap();
    b.wait_for_text("导出整改台账").await;
    b.screenshot("demo-rectification-desktop").await;
    b.link("催办").await.click().await.unwrap();
    b.wait_for_text("合计").await;
    b.screenshot("demo-reminders-desktop").await;
    b.close().await;

    let b = Browser::open(360, 740).await;
    b.sign_in(&base, "zhangwei").await;
    b.heading("巡察轮次").await;
    b.wait_for_text("2025年").await;
    b.screenshot("demo-inspector-phone").await;
    b.close().await;

    let b = Browser::open(360, 740).await;
    b.sign_in(&base, "qingshi").await;
    b.heading("青石村").await;
    b.wait_for_text("第一巡察组").await;
    b.screenshot("demo-unit-phone").await;
    b.find(Locator::XPath("//nav//a[normalize-space()='整改任务']"))
        .await
        .click()
        .await
        .unwrap();
    b.heading("整改任务").await;
    b.wait_for_text("整改时限").await;
    b.screenshot("demo-unit-tasks-phone").await;
    b.close().await;
}

#[tokio::test]
async fn a_liaison_fills_the_self_check_offline_reloads_and_everything_reaches_the_server_once() {
    let server = xuncha_e2e::stoppable_app().await;
    let base = server.base.clone();
    let b = Browser::open(360, 740).await;
    b.sign_in(&base, "qingshi").await;
    b.heading("青石村").await;
    b.link("开展自查").await.click().await.unwrap();
    b.heading("自查").await;
    b.wait_for_text("已答 0 /").await;
    // The service worker has the app shell once it controls the page.
    b.wait_for_service_worker().await;

    // The signal is gone: the page is offline and the server out of reach.
    b.set_offline(true).await;
    let config = server.stop().await;
    b.wait_for_text("离线").await;

    // Answer, explain the problem, attach a photo.
    let item = |n: &str| {
        format!("//li[contains(@class,'item')][.//p[contains(@class,'prompt')][contains(.,'{n}')]]")
    };
    let p01 = item("低保对象是否经户申请");
    b.find(Locator::XPath(&format!(
        "{p01}//label[normalize-space()='否']"
    )))
    .await
    .click()
    .await
    .unwrap();
    let note = b.find(Locator::XPath(&format!("{p01}//textarea"))).await;
    note.send_keys("3户未经民主评议").await.unwrap();
    b.find(Locator::XPath(&format!(
        "{p01}//p[contains(@class,'prompt')]"
    )))
    .await
    .click()
    .await
    .unwrap();
    let photo = xuncha_e2e::photo("self-check");
    b.find(Locator::XPath(&format!("{p01}//input[@type='file']")))
        .await
        .send_keys(&photo.display().to_string())
        .await
        .unwrap();
    b.wait_for_text("1 份材料待发送").await;
    let p03 = item("耕地地力保护补贴");
    b.find(Locator::XPath(&format!(
        "{p03}//label[normalize-space()='是']"
    )))
    .await
    .click()
    .await
    .unwrap();
    b.wait_for_text("已保存在本机").await;
    b.screenshot("self-check-offline-phone").await;

    // Reload with no network: the app opens from the phone and nothing is lost.
    b.client.refresh().await.unwrap();
    b.heading("自查").await;
    b.wait_for_text("已答 2 /").await;
    b.wait_for_text("已保存在本机").await;
    let checked = b
        .find(Locator::XPath(&format!(
            "{p01}//input[@type='radio'][following-sibling::label[normalize-space()='否']]"
        )))
        .await;
    assert_eq!(
        checked.prop("checked").await.unwrap().as_deref(),
        Some("true")
    );
    let note = b.find(Locator::XPath(&format!("{p01}//textarea"))).await;
    assert_eq!(
        note.prop("value").await.unwrap().as_deref(),
        Some("3户未经民主评议")
    );
    b.wait_for_text("1 份材料待发送").await;
    b.screenshot("self-check-after-offline-reload").await;

    // The network returns: the outbox sends by itself.
    let server = xuncha_server::testkit::Running::start(config)
        .await
        .unwrap();
    b.set_offline(false).await;
    b.wait_for_text("1 份材料已上传").await;
    let started = std::time::Instant::now();
    while b.body_text().await.contains("项待发送") {
        assert!(started.elapsed().as_secs() < 20, "the outbox did not empty");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    b.screenshot("self-check-sent").await;

    // The server holds every answer and the photo exactly once.
    let api = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    api.post(format!("{base}/api/auth/login"))
        .json(&serde_json::json!({ "username": "qingshi", "password": xuncha_server::demo::PASSWORD }))
        .send()
        .await
        .unwrap();
    let record: xuncha_api::checklists::Record = api
        .post(format!("{base}/api/checklists/records"))
        .json(&serde_json::json!({ "kind": "self_check" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let answer = |id: &str| record.answers.iter().find(|a| a.item_id == id).cloned();
    let p01 = answer("p-01").expect("p-01 on the server");
    assert_eq!(
        p01.value,
        Some(xuncha_api::checklists::AnswerValue::YesNo(
            xuncha_api::checklists::YesNo::No
        ))
    );
    assert_eq!(p01.note, "3户未经民主评议");
    assert!(answer("p-03").is_some());
    assert_eq!(record.answers.len(), 2);
    assert_eq!(record.evidence.len(), 1, "the photo is stored once");
    assert_eq!(record.evidence[0].item_id, "p-01");
    b.close().await;
    server.stop().await;
}

#[tokio::test]
async fn an_inspector_turns_a_problem_answer_into_a_finding_in_one_tap() {
    let base = spawn_app().await;
    // The office sets up a round with 青石村 as a target of 张伟's team.
    Office::sign_in(&base)
        .await
        .round_with_target("第一巡察组", "zhangwei")
        .await;

    let b = Browser::open(1280, 900).await;
    b.sign_in(&base, "zhangwei").await;
    b.heading("巡察轮次").await;
    b.link("2026年第一轮巡察").await.click().await.unwrap();
    b.heading("2026年第一轮巡察").await;
    b.link("青石村").await.click().await.unwrap();
    b.heading("青石村").await;
    b.heading("检查记录").await;
    b.wait_for_text("已答 0 /").await;
    b.find(Locator::XPath("//button[normalize-space()='三资村务']"))
        .await
        .click()
        .await
        .unwrap();
    let item =
        "//li[contains(@class,'item')][.//p[contains(@class,'prompt')][contains(.,'白条入账')]]";
    b.find(Locator::XPath(&format!(
        "{item}//label[normalize-space()='是']"
    )))
    .await
    .click()
    .await
    .unwrap();
    let note = b.find(Locator::XPath(&format!("{item}//textarea"))).await;
    note.send_keys("2025年3笔支出无正规票据").await.unwrap();
    b.find(Locator::XPath(&format!(
        "{item}//p[contains(@class,'prompt')]"
    )))
    .await
    .click()
    .await
    .unwrap();
    b.find(Locator::XPath(&format!(
        "{item}//button[normalize-space()='转为问题']"
    )))
    .await
    .click()
    .await
    .unwrap();
    b.wait_for_text("已转为问题").await;
    // Saved on the device first (listed as waiting by its title), then in the 问题清单 as
    // the server keeps it, the answer's note its description.
    b.find(Locator::XPath(
        "//section[contains(@class,'findings')]/ol/li[contains(.,'白条入账')][contains(.,'2025年3笔支出无正规票据')]",
    ))
    .await;
    b.screenshot("inspector-finding").await;
    b.close().await;
}

#[tokio::test]
async fn an_admin_copies_edits_and_publishes_a_new_template_version() {
    let base = spawn_app().await;
    let b = Browser::open(1280, 900).await;
    b.sign_in(&base, "admin").await;
    b.heading("全覆盖台账").await;
    b.link("检查清单模板").await.click().await.unwrap();
    b.heading("检查清单模板").await;
    let row = "//tr[td[normalize-space()='村（社区）巡察检查清单']][td[normalize-space()='v1']]";
    b.find(Locator::XPath(&format!(
        "{row}//button[normalize-space()='复制为新版本']"
    )))
    .await
    .click()
    .await
    .unwrap();
    b.heading("编辑草稿 · v2").await;
    let prompt = b.field("检查内容（p-01）").await;
    prompt.clear().await.unwrap();
    prompt
        .send_keys("低保对象是否经户申请、民主评议并公示满7天？")
        .await
        .unwrap();
    b.click_button("保存").await;
    let draft_row = "//tr[td[normalize-space()='v2']]";
    b.find(Locator::XPath(&format!(
        "{draft_row}[td[normalize-space()='草稿']]"
    )))
    .await;
    b.find(Locator::XPath(&format!(
        "{draft_row}//button[normalize-space()='发布']"
    )))
    .await
    .click()
    .await
    .unwrap();
    b.find(Locator::XPath(&format!(
        "{draft_row}[td[normalize-space()='已发布']]"
    )))
    .await;
    // The published version holds the edit; v1 is unchanged.
    let api = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    api.post(format!("{base}/api/auth/login"))
        .json(
            &serde_json::json!({ "username": "admin", "password": xuncha_server::demo::PASSWORD }),
        )
        .send()
        .await
        .unwrap();
    let all: Vec<xuncha_api::checklists::Template> = api
        .get(format!("{base}/api/checklists/templates"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let prompt_of = |v: i64| {
        all.iter()
            .find(|t| t.family == "village" && t.version == v)
            .and_then(|t| t.content.item("p-01").map(|(_, i)| i.prompt.clone()))
            .unwrap()
    };
    assert_eq!(prompt_of(2), "低保对象是否经户申请、民主评议并公示满7天？");
    assert_eq!(
        prompt_of(1),
        "低保对象是否经户申请、村民代表民主评议并张榜公示？"
    );
    b.close().await;
}

#[tokio::test]
async fn the_office_keeps_the_default_policy_list_and_a_team_copies_it_and_files_what_the_audit_office_sent(
) {
    let base = spawn_app().await;
    let office = Office::sign_in(&base).await;
    let target = office
        .round_with_target_as(&xuncha_server::testkit::fixtures::RoundSetup {
            stationed: Some(("2026-03-09", "2026-03-20")),
            ..Default::default()
        })
        .await;
    let desk = Browser::open(1280, 900).await;
    desk.sign_in(&base, "admin").await;
    desk.heading("全覆盖台账").await;
    desk.link("检查清单模板").await.click().await.unwrap();
    desk.heading("县默认政策清单").await;
    desk.click_button("添加默认政策").await;
    desk.fill("政策名称", "农村低保").await;
    desk.fill("村里应能提供的材料", "低保对象公示照片").await;
    desk.click_button("保存").await;
    // A title left empty is refused at the field, and nothing is saved.
    desk.click_button("添加默认政策").await;
    desk.click_button("保存").await;
    desk.find(Locator::XPath(
        "//form[contains(@class,'prep-form')]//p[contains(@class,'field-error')][normalize-space()]",
    ))
    .await;
    desk.click_button("取消").await;
    desk.find(Locator::XPath("//button[@aria-label='修改：农村低保']"))
        .await
        .click()
        .await
        .unwrap();
    desk.fill("政策名称", "农村最低生活保障").await;
    desk.click_button("保存").await;
    desk.find(Locator::XPath(
        "//table[contains(@class,'policy-defaults')]//td[normalize-space()='农村最低生活保障']",
    ))
    .await;
    desk.screenshot("policy-defaults-desk").await;
    let defaults: Vec<xuncha_api::stationing::PolicyDefault> =
        office.get("/api/policy-defaults").await;
    assert_eq!(defaults.len(), 1, "one policy, edited: {defaults:?}");
    assert_eq!(defaults[0].title, "农村最低生活保障");
    assert_eq!(defaults[0].version, 2);
    desk.close().await;

    // The team copies it into its target, and files the audit office's report with what it
    // said.
    let lead = Browser::open(1280, 900).await;
    lead.sign_in(&base, "zhangwei").await;
    lead.heading("巡察轮次").await;
    lead.goto(&format!("{base}/office/targets/{target}")).await;
    lead.heading("驻村工作清单").await;
    lead.click_button("复制县默认政策清单").await;
    lead.wait_for_text("低保对象公示照片").await;
    lead.click_button("添加收集的信息").await;
    lead.find(Locator::XPath(
        "//label[normalize-space()='情况来源单位']/following-sibling::select/option[normalize-space()='审计']",
    ))
    .await
    .click()
    .await
    .unwrap();
    lead.fill("反映的情况", "2025年审计发现集体资金白条入账")
        .await;
    lead.click_button("保存到本机并发送").await;
    let input = "//li[contains(@class,'prep-item')][contains(.,'白条入账')]//input[@type='file']";
    lead.find(Locator::XPath(input))
        .await
        .send_keys(&xuncha_e2e::photo("audit-report").display().to_string())
        .await
        .unwrap();
    lead.find(Locator::XPath(
        "//li[contains(@class,'prep-item')][contains(.,'白条入账')]//a[contains(.,'附件 1')]",
    ))
    .await;
    let s = stationing_of(&office, &target).await;
    assert_eq!(policy_title(&s), "农村最低生活保障");
    assert_eq!(s.information.len(), 1);
    assert_eq!(s.information[0].files.len(), 1, "the report is kept once");
    // After a reload the file is still listed with its item.
    lead.goto(&format!("{base}/office/targets/{target}")).await;
    lead.find(Locator::XPath(
        "//li[contains(@class,'prep-item')][contains(.,'白条入账')]//a[contains(.,'附件 1')]",
    ))
    .await;
    // And another can be added: the team is known once the page has loaded.
    lead.field("添加来文附件（通报、报告的照片或 PDF）").await;
    // A problem expected from it names the checklist items that test it; a mistyped number
    // is shown at once and nothing is saved.
    lead.click_button("添加预设问题").await;
    lead.fill("预设问题", "集体资金白条入账").await;
    lead.fill("对应检查项编号（用逗号分隔）", "p-01, p-1").await;
    lead.wait_for_text("p-1：检查清单中没有这一项").await;
    lead.find(Locator::XPath(
        "//ul[contains(@class,'checklist-items')]/li[starts-with(normalize-space(),'p-01 ')]",
    ))
    .await;
    lead.click_button("保存到本机并发送").await;
    lead.find(Locator::XPath(
        "//form[contains(@class,'prep-form')]//p[contains(@class,'field-error')][normalize-space()]",
    ))
    .await;
    assert!(stationing_of(&office, &target).await.expected.is_empty());
    lead.fill("对应检查项编号（用逗号分隔）", "p-01").await;
    lead.click_button("保存到本机并发送").await;
    eventually("the expected problem reaches the server", async || {
        stationing_of(&office, &target).await.expected.len() == 1
    })
    .await;
    match &stationing_of(&office, &target).await.expected[0].content {
        xuncha_api::stationing::PrepContent::Expected {
            checklist_items, ..
        } => {
            assert_eq!(checklist_items, &["p-01"])
        }
        other => panic!("{other:?}"),
    }
    lead.eval("document.querySelector('section.stationing').scrollIntoView(); return true")
        .await;
    lead.screenshot("information-file-desk").await;
    lead.close().await;
}

#[tokio::test]
async fn an_inspector_on_site_reopens_a_targets_checklist_with_no_network() {
    let server = xuncha_e2e::stoppable_app().await;
    let base = server.base.clone();
    let target = Office::sign_in(&base)
        .await
        .round_with_target("第二巡察组", "lina")
        .await;

    let b = Browser::open(360, 740).await;
    b.sign_in(&base, "lina").await;
    b.heading("巡察轮次").await;
    let started = std::time::Instant::now();
    while b.eval("return !!navigator.serviceWorker.controller").await != serde_json::json!(true) {
        assert!(
            started.elapsed().as_secs() < 20,
            "no service worker took control"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        b.client.refresh().await.unwrap();
    }
    // Opened once on site with a signal: the office shell and the record are on the phone.
    b.goto(&format!("{base}/office/targets/{target}")).await;
    b.heading("检查记录").await;
    b.wait_for_text("已答 0 /").await;

    b.set_offline(true).await;
    let config = server.stop().await;
    b.client.refresh().await.unwrap();
    b.heading("检查记录").await;
    b.wait_for_text("已答 0 /").await;
    let item = "//li[contains(@class,'item')][.//p[contains(@class,'prompt')][contains(.,'耕地地力保护补贴')]]";
    b.find(Locator::XPath(&format!(
        "{item}//label[normalize-space()='是']"
    )))
    .await
    .click()
    .await
    .unwrap();
    b.wait_for_text("已保存在本机").await;
    b.screenshot("inspector-offline").await;

    let server = xuncha_server::testkit::Running::start(config)
        .await
        .unwrap();
    b.set_offline(false).await;
    let started = std::time::Instant::now();
    while b.body_text().await.contains("项待发送") || !b.body_text().await.contains("已发送")
    {
        assert!(started.elapsed().as_secs() < 40, "the outbox did not empty");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    b.close().await;
    server.stop().await;
}

/// Polls until a condition holds or 20 s pass.
async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let started = std::time::Instant::now();
    while !check().await {
        assert!(started.elapsed().as_secs() < 20, "never happened: {what}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_finding_is_rectified_from_task_to_public_page() {
    let server = xuncha_e2e::stoppable_app().await;
    let base = server.base.clone();
    let target = Office::sign_in(&base)
        .await
        .round_with_target("第一巡察组", "zhangwei")
        .await;
    let zhang_api = Office::sign_in_as(&base, "zhangwei").await;
    zhang_api
        .put(
            &format!("/api/targets/{target}/findings/f-e2e"),
            serde_json::json!({ "focus": "responsibility", "title": "村集体资金白条入账", "description": "2025年3笔支出无正规票据", "severity": "serious", "source": "documents" }),
        )
        .await;

    // The inspector turns the 问题清单 into tasks, with the defaults.
    let desk = Browser::open(1280, 900).await;
    desk.sign_in(&base, "zhangwei").await;
    desk.heading("巡察轮次").await;
    desk.goto(&format!("{base}/office/targets/{target}")).await;
    desk.heading("整改任务").await;
    desk.wait_for_text("生成整改任务").await;
    desk.set_value("整改时限", "2026-12-31").await;
    desk.click_button("生成整改任务").await;
    desk.wait_for_text("待整改").await;
    desk.screenshot("rectification-created").await;

    // The liaison, on a phone, finds the task and reports progress with a photo, offline.
    let phone = Browser::open(360, 740).await;
    phone.sign_in(&base, "qingshi").await;
    phone.heading("青石村").await;
    phone.link("整改任务").await.click().await.unwrap();
    phone.heading("整改任务").await;
    phone
        .link("村集体资金白条入账")
        .await
        .click()
        .await
        .unwrap();
    phone.heading("村集体资金白条入账").await;
    phone.wait_for_text("2026-12-31").await;
    phone.wait_for_service_worker().await;
    phone.set_offline(true).await;
    let config = server.stop().await;
    phone.fill("整改进展", "已召开村两委会，补齐2笔票据").await;
    phone.click_button("保存进展").await;
    let photo = xuncha_e2e::photo("task");
    phone
        .field("添加整改照片")
        .await
        .send_keys(&photo.display().to_string())
        .await
        .unwrap();
    phone
        .find(Locator::XPath(
            "//p[span[normalize-space()='等待发送']][contains(., '整改照片')]",
        ))
        .await;
    phone.wait_for_text("已召开村两委会").await;
    phone.screenshot("rectification-phone-offline").await;
    // A reload with no network keeps both.
    phone.client.refresh().await.unwrap();
    phone.heading("村集体资金白条入账").await;
    phone.wait_for_text("待发送").await;
    phone.wait_for_text("已召开村两委会").await;

    // The signal returns: the outbox sends them; the liaison submits.
    let server = xuncha_server::testkit::Running::start(config)
        .await
        .unwrap();
    phone.set_offline(false).await;
    eventually("the outbox sent the report and the photo", async || {
        let text = phone.body_text().await;
        !text.contains("待发送") && text.contains("已召开村两委会") && text.contains("整改中")
    })
    .await;
    assert!(
        phone
            .find(Locator::XPath("//img[@alt='整改照片 1']"))
            .await
            .is_displayed()
            .await
            .unwrap(),
        "the photo is on the server"
    );
    // With no signal again, the photo sent shows from the phone, not as a broken image.
    phone.set_offline(true).await;
    phone.client.refresh().await.unwrap();
    phone.heading("村集体资金白条入账").await;
    eventually("the sent photo shows offline", async || {
        phone
            .eval("const i = document.querySelector(\"img[alt='整改照片 1']\"); return !!i && i.complete && i.naturalWidth > 0")
            .await
            == serde_json::json!(true)
    })
    .await;
    phone.set_offline(false).await;
    phone.click_button("提交整改完成").await;
    // Shown at once as waiting, then as the server's status once it is sent.
    eventually("the submission reached the server", async || {
        let text = phone.body_text().await;
        !text.contains("待发送") && text.contains("已提交")
    })
    .await;
    phone.screenshot("rectification-phone-submitted").await;

    // The inspector returns it once with a reason…
    desk.goto(&format!("{base}/office/targets/{target}")).await;
    desk.wait_for_text("已提交").await;
    desk.fill("退回原因", "缺少追回资金的凭证").await;
    desk.click_button("退回整改").await;
    desk.wait_for_text("整改中").await;

    // …the liaison comes back to the tab (no reload) and sees why, adds what was missing and
    // submits again…
    phone
        .eval("document.dispatchEvent(new Event('visibilitychange')); return true;")
        .await;
    phone.wait_for_text("缺少追回资金的凭证").await;
    phone.fill("整改进展", "已追回违规支出并入账").await;
    phone.click_button("保存进展").await;
    eventually("the second report reached the server", async || {
        let text = phone.body_text().await;
        !text.contains("待发送") && text.contains("已追回违规支出并入账")
    })
    .await;
    phone.click_button("提交整改完成").await;
    eventually("the second submission reached the server", async || {
        let text = phone.body_text().await;
        !text.contains("待发送") && text.contains("已提交")
    })
    .await;

    // …the inspector accepts, the office closes.
    desk.client.refresh().await.unwrap();
    desk.heading("整改任务").await;
    // Asked once, naming the task: it cannot be taken back.
    desk.click_button("验收通过").await;
    desk.wait_for_text("确认验收通过「村集体资金白条入账」？")
        .await;
    desk.click_button("验收通过").await;
    desk.wait_for_text("已验收").await;
    desk.close().await;
    let admin = Browser::open(1280, 900).await;
    admin.sign_in(&base, "admin").await;
    admin.link("整改台账").await.click().await.unwrap();
    admin.heading("整改台账").await;
    admin.wait_for_text("已验收 1").await;
    admin
        .fill(
            "公开的整改成效（可不填，默认公开整改措施）",
            "补齐票据2笔，追回违规支出并入账",
        )
        .await;
    admin.click_button("销号").await;
    admin
        .wait_for_text("确认销号「村集体资金白条入账」？")
        .await;
    admin.click_button("销号").await;
    admin.wait_for_text("已销号 1").await;
    admin.screenshot("rectification-ledger").await;
    admin.close().await;
    phone.close().await;

    // Anyone opens the village's public page without signing in.
    let village = Office::sign_in(&base).await.org_id("青石村").await;
    let public = Browser::open(360, 740).await;
    public.goto(&format!("{base}/gongkai/{village}")).await;
    public.heading("青石村巡察整改情况公开").await;
    public.wait_for_text("村集体资金白条入账").await;
    let text = public.body_text().await;
    assert!(text.contains("已完成整改并销号 1 项"));
    assert!(text.contains("补齐票据2笔，追回违规支出并入账"));
    for secret in [
        "2025年3笔支出无正规票据",
        "已召开村两委会",
        "缺少追回资金的凭证",
    ] {
        assert!(!text.contains(secret), "{secret} is on the public page");
    }
    public.screenshot("rectification-public-page").await;
    public.close().await;
    server.stop().await;
}

/// A list that could not be loaded says so and offers a retry; it never shows as empty (on a
/// weak signal "no teams yet" and "could not ask" must not look alike).
#[tokio::test]
async fn a_list_that_fails_to_load_shows_the_error_and_a_retry_never_an_empty_list() {
    let base = spawn_app().await;
    Office::sign_in(&base)
        .await
        .round_with_target("第一巡察组", "zhangwei")
        .await;

    let b = Browser::open(1280, 900).await;
    // The page's own requests for a round's teams fail as a dropped connection does.
    b.before_each_page(
        "const realFetch = window.fetch;
         window.__failing = /\\/api\\/rounds\\/[^/]+\\/teams$/;
         window.fetch = function (input, init) {
             const url = typeof input === 'string' ? input : input.url;
             if (window.__failing && window.__failing.test(url)) {
                 return Promise.reject(new TypeError('Failed to fetch'));
             }
             return realFetch.apply(this, arguments);
         };",
    )
    .await;
    b.sign_in(&base, "admin").await;
    b.heading("全覆盖台账").await;
    b.link("巡察轮次").await.click().await.unwrap();
    b.link("2026年第一轮巡察").await.click().await.unwrap();
    b.heading("2026年第一轮巡察").await;
    b.wait_for_text("网络不可用，请检查网络后重试").await;
    // The targets, asked for separately, are there; the teams' place holds the error.
    b.wait_for_text("青石村").await;
    let alert = b
        .find(Locator::XPath(
            "//div[contains(@class,'load-error')][@role='alert']",
        ))
        .await;
    assert!(alert.text().await.unwrap().contains("网络不可用"));
    assert!(!b.body_text().await.contains("第一巡察组："));
    b.screenshot("load-error-retry").await;

    b.eval("window.__failing = null; return null;").await;
    b.click_button("重试").await;
    b.wait_for_text("第一巡察组：张伟").await;
    assert!(!b.body_text().await.contains("网络不可用"));
}

/// Clicks the checkbox inside the `<label>` with this text.
async fn tick(b: &Browser, label: &str) {
    b.find(Locator::XPath(&format!(
        "//label[normalize-space()='{label}']/input[@type='checkbox']"
    )))
    .await
    .click()
    .await
    .unwrap();
}

#[tokio::test]
async fn a_talk_becomes_a_clue_is_referred_handled_and_every_read_shows_in_its_log() {
    let server = xuncha_e2e::stoppable_app().await;
    let base = server.base.clone();
    let target = Office::sign_in(&base)
        .await
        .round_with_target_as(&xuncha_server::testkit::fixtures::RoundSetup {
            members: &["wangfang"],
            ..Default::default()
        })
        .await;

    // On the inspector's phone in a village with no signal: a private talk is saved on the
    // phone and sent when the network is back; then a clue from it, proposed for referral.
    let phone = Browser::open(360, 740).await;
    phone.sign_in(&base, "zhangwei").await;
    phone.heading("巡察轮次").await;
    phone.goto(&format!("{base}/office/targets/{target}")).await;
    phone.heading("个别谈话记录").await;
    phone.wait_for_text("尚无谈话记录").await;
    open_details(&phone, "新增谈话记录").await;
    phone
        .find(Locator::XPath("//label[normalize-space()='王芳']"))
        .await;
    phone.set_offline(true).await;
    let config = server.stop().await;
    phone.fill("谈话对象", "村民甲").await;
    phone.fill("职务", "村民").await;
    phone.fill("地点", "村民家中").await;
    tick(&phone, "张伟").await;
    phone
        .fill("谈话内容摘要", "反映机动地发包时承包方向村委会主任送钱")
        .await;
    phone.click_button("保存谈话记录").await;
    phone.wait_for_text("至少 2 项").await;
    tick(&phone, "王芳").await;
    phone
        .field("谈话对象要求不具名")
        .await
        .click()
        .await
        .unwrap();
    phone.click_button("保存谈话记录").await;
    phone.wait_for_text("谈话记录已保存在本机").await;
    phone.wait_for_text("等待发送").await;
    phone.screenshot("talk-saved-offline-phone").await;
    let server = xuncha_server::testkit::Running::start(config)
        .await
        .unwrap();
    phone.set_offline(false).await;
    phone
        .wait_for_text("反映机动地发包时承包方向村委会主任送钱")
        .await;
    phone.wait_for_text("不具名").await;
    eventually("the saved talk is sent", async || {
        !phone.body_text().await.contains("等待发送")
    })
    .await;
    // The signed transcript, photographed.
    phone
        .find(Locator::XPath(
            "//li[contains(@class,'talk')]//input[@type='file']",
        ))
        .await
        .send_keys(&xuncha_e2e::photo("transcript").display().to_string())
        .await
        .unwrap();
    phone.wait_for_text("附件 1").await;
    phone
        .eval("document.querySelector('li.talk').scrollIntoView(); return true")
        .await;
    phone.screenshot("talk-recorded-phone").await;

    // 据此登记问题: a finding from the talk, naming the talk and not who spoke.
    phone.click_button("据此登记问题").await;
    phone.wait_for_text("来源谈话：").await;
    phone.fill("问题概述", "机动地发包程序不规范").await;
    phone
        .find(Locator::XPath(
            "//details[@id='new-finding']//button[@type='submit']",
        ))
        .await
        .click()
        .await
        .unwrap();
    phone
        .find(Locator::XPath(
            "//section[contains(@class,'findings')]//li[contains(.,'机动地发包程序不规范')]",
        ))
        .await;

    open_details(&phone, "登记问题线索").await;
    phone.fill("反映对象", "李某某").await;
    phone.fill("问题内容", "机动地发包中收受承包方好处费").await;
    phone.fill("涉及金额（元）", "30000").await;
    phone
        .find(Locator::XPath(
            "//label[normalize-space()='来源谈话']/following-sibling::select/option[contains(.,'村民甲')]",
        ))
        .await
        .click()
        .await
        .unwrap();
    phone.click_button("保存问题线索").await;
    phone
        .link("机动地发包中收受承包方好处费")
        .await
        .click()
        .await
        .unwrap();
    phone.wait_for_text("已登记").await;
    phone.click_button("提请移交").await;
    phone.wait_for_text("拟移交").await;
    phone.close().await;

    // The office assembles the referral and sends it.
    let desk = Browser::open(1280, 900).await;
    desk.sign_in(&base, "admin").await;
    desk.link("线索移交").await.click().await.unwrap();
    desk.heading("提请移交的问题线索").await;
    desk.find(Locator::XPath(
        "//label[contains(.,'机动地发包中收受承包方好处费')]/input",
    ))
    .await
    .click()
    .await
    .unwrap();
    desk.fill("移交文号", "青岚巡移〔2026〕3号").await;
    desk.fill("移交函", "现将巡察青石村党支部期间发现的问题线索移交你委。")
        .await;
    desk.click_button("组成移交").await;
    desk.link("青岚巡移〔2026〕3号").await;
    desk.click_button("发送移交").await;
    desk.wait_for_text("已移交").await;

    // Discipline accepts it and records 初步核实, then the result.
    let discipline = Browser::open(1280, 900).await;
    discipline.sign_in(&base, "liuyang").await;
    // Discipline's home is its referral desk.
    discipline.heading("问题线索移交").await;
    discipline.click_button("受理").await;
    discipline.heading("待处置和处置中的线索").await;
    discipline
        .link("机动地发包中收受承包方好处费")
        .await
        .click()
        .await
        .unwrap();
    discipline.wait_for_text("已受理").await;
    discipline.fill("说明", "成立核实组").await;
    discipline.click_button("记录处置情况").await;
    discipline.wait_for_text("处置中").await;
    discipline
        .find(Locator::XPath(
            "//label[normalize-space()='处理结果（办结）']/following-sibling::select/option[@value='party_discipline']",
        ))
        .await
        .click()
        .await
        .unwrap();
    discipline.click_button("记录处置情况").await;
    discipline.wait_for_text("已办结").await;
    discipline.wait_for_text("党纪处分").await;
    discipline.close().await;

    // The office sees where it stands and who read it.
    desk.goto(&format!("{base}/office/referrals")).await;
    desk.link("青岚巡移〔2026〕3号")
        .await
        .click()
        .await
        .unwrap();
    desk.wait_for_text("现将巡察青石村党支部期间发现的问题线索移交你委。")
        .await;
    desk.screenshot("referral-list-print").await;
    desk.link("机动地发包中收受承包方好处费")
        .await
        .click()
        .await
        .unwrap();
    desk.wait_for_text("已办结").await;
    desk.wait_for_text("初步核实").await;
    open_details(&desk, "查看查阅记录").await;
    desk.find(Locator::XPath(
        "//details[contains(@class,'read-log')]//table",
    ))
    .await;
    let log = desk
        .find(Locator::XPath("//details[contains(@class,'read-log')]"))
        .await
        .text()
        .await
        .unwrap();
    for who in ["张伟", "王建国", "刘洋"] {
        assert!(log.contains(who), "{who} is in the read log:\n{log}");
    }
    assert!(log.contains("GET /api/clues/{id}"), "{log}");
    desk.screenshot("clue-concluded-read-log").await;

    // The audit chain holds, and says so on the audit page.
    desk.link("审计日志").await.click().await.unwrap();
    desk.click_button("核验审计日志").await;
    desk.wait_for_text("审计日志完整").await;
    desk.close().await;
    server.stop().await;
}

#[tokio::test]
async fn a_villager_without_javascript_reports_keeps_the_code_and_the_team_makes_it_a_clue() {
    let base = spawn_app().await;
    let office = Office::sign_in(&base).await;
    let target = office
        .round_with_target_as(&xuncha_server::testkit::fixtures::RoundSetup {
            members: &["wangfang"],
            ..Default::default()
        })
        .await;
    let rounds: serde_json::Value = office.get("/api/rounds").await;
    let round = rounds[0]["id"].as_str().unwrap().to_string();
    office
        .post(
            &format!("/api/rounds/{round}/phase"),
            serde_json::json!({ "to": "stationing" }),
        )
        .await;
    let village = office.org_id("青石村").await;

    // A villager scans the notice's QR code. The pages' CSP lets no script run at all (as
    // with JavaScript switched off; ChromeDriver itself cannot drive a page with scripting
    // disabled), and none is there to run.
    let phone = Browser::open(360, 740).await;
    phone.goto(&format!("{base}/xinfang/{village}")).await;
    phone.heading("青石村巡察信访举报").await;
    // Sent empty first: told what is missing, nothing lost of what else was typed.
    phone.fill("反映对象（选填）", "村会计").await;
    phone
        .eval("document.getElementById('content').removeAttribute('required'); return true")
        .await;
    phone.click_button("提交").await;
    phone.wait_for_text("请写下您要反映的问题").await;
    assert_eq!(
        phone
            .field("反映对象（选填）")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("村会计")
    );
    phone
        .fill("反映的问题（必填）", "村会计把低保名额给了自己亲戚")
        .await;
    phone
        .field("照片（选填）")
        .await
        .send_keys(&xuncha_e2e::photo("evidence").display().to_string())
        .await
        .unwrap();
    phone.screenshot("petition-form-phone").await;
    phone.click_button("提交").await;
    phone.heading("已收到您反映的问题").await;
    let code = phone.find(Locator::Id("code")).await.text().await.unwrap();
    assert_eq!(code.replace(' ', "").len(), 25, "{code}");
    phone.screenshot("petition-code-phone").await;
    assert_eq!(
        phone
            .eval("return document.scripts.length + performance.getEntriesByType('resource').filter(r => r.name.endsWith('.wasm')).length")
            .await,
        serde_json::json!(0)
    );
    phone.link("查询办理情况").await.click().await.unwrap();
    phone.fill("查询码", &code).await;
    phone.click_button("查询").await;
    phone.heading("已受理").await;

    // The team leader at a desk makes it a clue and writes the answer the villager will read.
    let desk = Browser::open(1280, 900).await;
    desk.sign_in(&base, "zhangwei").await;
    desk.heading("巡察轮次").await;
    desk.goto(&format!("{base}/office/targets/{target}")).await;
    desk.heading("信访举报").await;
    desk.link("村会计把低保名额给了自己亲戚")
        .await
        .click()
        .await
        .unwrap();
    desk.wait_for_text("匿名").await;
    desk.wait_for_text("附件 1").await;
    desk.fill("问题内容", "低保评议中优亲厚友").await;
    desk.fill("给群众的答复（凭查询码可见）", "已按规定移交有关部门办理。")
        .await;
    desk.click_button("保存分办结果").await;
    desk.wait_for_text("转为问题线索").await;
    desk.screenshot("petition-triaged-desk").await;

    // The villager looks again.
    phone.goto(&format!("{base}/chaxun")).await;
    phone.fill("查询码", &code).await;
    phone.click_button("查询").await;
    phone.heading("办理中").await;
    phone.wait_for_text("已按规定移交有关部门办理。").await;
    phone.screenshot("petition-status-phone").await;
}

#[tokio::test]
async fn respondents_answer_with_one_time_codes_and_results_appear_after_the_fifth() {
    let base = spawn_app().await;
    let office = Office::sign_in(&base).await;
    let target = office
        .round_with_target_as(&xuncha_server::testkit::fixtures::RoundSetup::default())
        .await;
    let made: serde_json::Value = office
        .post(
            &format!("/api/targets/{target}/evaluations"),
            serde_json::json!({ "title": "2026年民主测评", "codes": 6 }),
        )
        .await;
    let codes: Vec<String> = made["slips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap().to_string())
        .collect();
    // Four respondents answer from their phones (here straight to the form's address).
    let http = reqwest::Client::new();
    for code in &codes[..4] {
        let mut form = vec![("code".to_string(), code.clone())];
        for (key, options) in xuncha_api::evaluations::questions() {
            let answer = if options.contains(&"good") {
                "good"
            } else {
                "yes"
            };
            form.push((key, answer.to_string()));
        }
        let r = http
            .post(format!("{base}/ceping"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
    }

    // The office sees how many came and no result yet.
    let desk = Browser::open(1280, 900).await;
    desk.sign_in(&base, "admin").await;
    // Signed in (the office home is drawn) before going anywhere.
    desk.wait_for_text("退出登录").await;
    desk.goto(&format!("{base}/office/targets/{target}")).await;
    desk.heading("民主测评").await;
    desk.wait_for_text("收到测评 4 份").await;
    open_details(&desk, "查看测评结果").await;
    desk.wait_for_text("收到的测评份数还不够").await;

    // The fifth on a 360×740 phone, typing the code from the slip.
    let phone = Browser::open(360, 740).await;
    phone.goto(&format!("{base}/ceping")).await;
    phone.heading("民主测评").await;
    phone.fill("测评码", &codes[4].to_lowercase()).await;
    phone.click_button("开始测评").await;
    phone.wait_for_text("本测评不记名").await;
    let choose = async |question: &str, answer: &str| {
        phone
            .find(Locator::XPath(&format!(
                "//fieldset[legend[normalize-space()='{question}']]//label[normalize-space()='{answer}']"
            )))
            .await
            .click()
            .await
            .unwrap();
    };
    for subject in ["领导班子", "党组织书记"] {
        for dimension in ["政治表现", "履职尽责", "廉洁自律", "作风建设", "联系群众"]
        {
            choose(&format!("{subject}·{dimension}"), "较好").await;
        }
    }
    choose("您是否知道巡察组进驻本村（社区）开展巡察？", "是").await;
    choose(
        "您是否参与了巡察（如谈话、座谈、反映问题、填写测评）？",
        "否",
    )
    .await;
    phone.screenshot("evaluation-form-phone").await;
    // One question left: told which, the choices kept.
    phone.click_button("提交测评").await;
    phone.wait_for_text("还有题目没有作答").await;
    choose("您对本次巡察及整改工作是否满意？", "是").await;
    phone.click_button("提交测评").await;
    phone.heading("测评已提交，谢谢您！").await;
    phone.screenshot("evaluation-done-phone").await;

    // Now the office sees the results.
    desk.goto(&format!("{base}/office/targets/{target}")).await;
    desk.wait_for_text("收到测评 5 份").await;
    open_details(&desk, "查看测评结果").await;
    desk.wait_for_text("知晓率").await;
    desk.wait_for_text("参与率").await;
    let text = desk.body_text().await;
    assert!(text.contains("80.0%"), "参与率 4 of 5:\n{text}");
    assert!(text.contains("100.0%"));
    desk.screenshot("evaluation-results-desk").await;

    // Two paper ballots the team counted. A question whose counts do not add up is named and
    // nothing is sent; entering is asked twice.
    open_details(&desk, "录入纸质测评票").await;
    desk.fill("纸质测评票份数", "2").await;
    for subject in ["领导班子", "党组织书记"] {
        for dimension in ["政治表现", "履职尽责", "廉洁自律", "作风建设", "联系群众"]
        {
            desk.fill(&format!("{subject}·{dimension} 好"), "2").await;
        }
    }
    desk.fill("参与（是否参与巡察） 是", "2").await;
    desk.fill("满意（是否满意巡察及整改） 是", "2").await;
    desk.fill("知晓（是否知道巡察组进驻） 是", "1").await;
    desk.click_button("核对并录入").await;
    desk.wait_for_text("各选项张数相加应等于份数").await;
    desk.fill("知晓（是否知道巡察组进驻） 否", "1").await;
    desk.click_button("核对并录入").await;
    desk.wait_for_text("将 2 份纸质测评票计入结果？录入后不能撤回。")
        .await;
    desk.screenshot("evaluation-paper-desk").await;
    desk.click_button("确认录入").await;
    desk.wait_for_text("已录入 2 份纸质测评票。").await;
    desk.wait_for_text("收到测评 7 份").await;
    // 知晓: the five online and one of the two on paper.
    desk.wait_for_text("85.7%").await;
    let results: xuncha_api::evaluations::Results = office
        .get(&format!(
            "/api/evaluations/{}/results",
            made["evaluation"]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!((results.evaluation.responses, results.paper), (7, 2));

    // The village's report (一村一报告) is one link away, and counts the seven.
    let href = desk
        .link("下载一村一报告（Word）")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(href, format!("/api/targets/{target}/report.docx"));
    let report = office
        .client
        .get(format!("{base}{href}"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let text = xuncha_server::documents::paragraphs(&report).unwrap();
    assert!(
        text.iter()
            .any(|t| t.starts_with("2026年民主测评：收到测评7份，其中纸质测评票2份。")),
        "{text:#?}"
    );

    // A new evaluation's slips, downloaded as a Word document from the codes on the page.
    open_details(&desk, "新建民主测评").await;
    desk.fill("测评码数量（计划参加测评的人数）", "3").await;
    desk.click_button("生成测评码").await;
    desk.wait_for_text("测评码只显示这一次").await;
    desk.click_button("下载测评票（Word）").await;
    eventually("the slips were made into a document", async || {
        let log: xuncha_api::audit::AuditPage =
            office.get("/api/audit?action=evaluation.slips").await;
        log.entries
            .first()
            .is_some_and(|e| e.detail == serde_json::json!({ "slips": 3 }))
    })
    .await;
    assert!(!desk.body_text().await.contains("网络不可用"));
    // Printed from the page, only the slips go to paper, with no `:has()` that older office
    // browsers lack: the page as it is while printing, in print media.
    desk.eval("document.body.classList.add('print-slips')")
        .await;
    desk.cdp(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "media": "print" }),
    )
    .await;
    let shown = desk
        .eval(
            "return [...document.querySelectorAll('h1, h2, h3, .slip')]\
             .filter(e => e.getClientRects().length > 0).map(e => e.className || e.tagName)",
        )
        .await;
    assert_eq!(
        shown,
        serde_json::json!(["slip", "slip", "slip"]),
        "{shown}"
    );
    desk.cdp(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "media": "" }),
    )
    .await;
}

/// The office pages as county staff read them (issue 15), at 1366×768 and at 360×740.
#[tokio::test]
async fn the_office_reads_where_each_target_stands_filters_the_ledger_and_is_told_what_it_may_not_use(
) {
    let base = spawn_app().await;
    let target = Office::sign_in(&base)
        .await
        .round_with_target("第一巡察组", "zhangwei")
        .await;
    let zhang = Office::sign_in_as(&base, "zhangwei").await;
    for (id, title) in [
        ("f-late", "村集体资金白条入账"),
        ("f-open", "党务公开不及时"),
    ] {
        zhang
            .put(
                &format!("/api/targets/{target}/findings/{id}"),
                serde_json::json!({ "focus": "responsibility", "title": title, "severity": "general", "source": "documents" }),
            )
            .await;
    }
    zhang
        .post(
            &format!("/api/targets/{target}/tasks"),
            serde_json::json!([{ "finding_id": "f-late", "measures": "补齐票据", "deadline": "2026-01-31" },
                               { "finding_id": "f-open", "measures": "按月公开党务", "deadline": "2030-06-30" }]),
        )
        .await;

    let b = Browser::open(1366, 768).await;
    b.sign_in(&base, "admin").await;
    b.heading("全覆盖台账").await;
    b.link("巡察轮次").await.click().await.unwrap();
    b.link("2026年第一轮巡察").await.click().await.unwrap();
    b.heading("2026年第一轮巡察").await;
    // The round's table: the township, how far the record is, findings and open tasks.
    let row = b
        .find(Locator::XPath(
            "//table[contains(@class,'targets')]//tr[th[a[normalize-space()='青石村']]]",
        ))
        .await;
    let text = row.text().await.unwrap();
    for part in ["青石镇", "第一巡察组", "未开始", "2 · 已逾期 1"] {
        assert!(text.contains(part), "{part} in {text}");
    }
    let numbers = b
        .eval("return [...document.querySelectorAll('table.targets tbody tr td.num')].map(td => td.textContent.trim())")
        .await;
    assert_eq!(numbers, serde_json::json!(["未开始", "2", "2 · 已逾期 1"]));
    b.click_button("问题").await;
    b.find(Locator::XPath(
        "//th[@aria-sort='descending'][.//button[contains(.,'问题')]]",
    ))
    .await;
    b.screenshot("round-targets-progress").await;
    // Moving the round on is asked once: it does not go back.
    b.click_button("进入下一阶段：进驻").await;
    b.wait_for_text("确认2026年第一轮巡察进入「进驻」阶段？进入下一阶段后不能退回。")
        .await;
    b.click_button("取消").await;
    b.click_button("进入下一阶段：进驻").await;
    b.wait_for_text("不能退回").await;
    b.click_button("进入下一阶段：进驻").await;
    b.wait_for_text("进入下一阶段：报告").await;

    // The target's page says where it is; the record is the team's, said without an error.
    b.link("青石村").await.click().await.unwrap();
    b.heading("青石村").await;
    b.wait_for_text("检查记录是巡察组的工作底稿").await;
    let text = b.body_text().await;
    for part in [
        "青石镇",
        "2026年第一轮巡察（进驻）",
        "第一巡察组 · 组长 张伟",
        "巡察组尚未开始填写",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    assert!(!text.contains("无权进行此操作"), "{text}");
    assert!(
        !text.contains("登记问题"),
        "the office records no findings: {text}"
    );
    b.screenshot("target-heading-office").await;

    // 整改台账: a table, filtered by overdue and township, with counts that follow.
    b.link("整改台账").await.click().await.unwrap();
    b.heading("整改台账").await;
    b.wait_for_text("合计 2：").await;
    b.find(Locator::XPath(
        "//table[contains(@class,'ledger-table')]//tr[td[normalize-space()='青石镇'] and th[contains(.,'党务公开不及时')]]",
    ))
    .await;
    b.field("只看逾期").await.click().await.unwrap();
    b.wait_for_text("合计 1：").await;
    // The export takes the filter along (its rows are checked in the HTTP tests).
    let href = b
        .link("导出整改台账（.xlsx）")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(href.ends_with("/rectification.xlsx?overdue=true"), "{href}");
    b.wait_for_text("按当前筛选条件导出").await;
    let table = b
        .find(Locator::XPath("//table[contains(@class,'ledger-table')]"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        table.contains("村集体资金白条入账") && !table.contains("党务公开不及时"),
        "{table}"
    );
    b.field("状态")
        .await
        .select_by_label("已销号")
        .await
        .unwrap();
    b.wait_for_text("没有符合条件的任务").await;
    b.wait_for_text("合计 0：").await;
    b.field("状态").await.select_by_label("全部").await.unwrap();
    b.field("只看逾期").await.click().await.unwrap();
    b.wait_for_text("合计 2：").await;
    b.screenshot("rectification-ledger-table").await;

    // In English the ledger's counts use half-width punctuation.
    b.click_button("English").await;
    b.wait_for_text("Total 2: ").await;
    assert!(!b.body_text().await.contains('：'));
    b.click_button("中文").await;

    // The audit log in words: who changed which organisation's secretary from what to what,
    // filtered by kind and day, the raw record one click away.
    let office = Office::sign_in(&base).await;
    let village = office.org_id("青石村").await;
    let r = office
        .client
        .patch(format!("{base}/api/orgs/{village}"))
        .json(&serde_json::json!({ "secretary": "李四" }))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    b.link("审计日志").await.click().await.unwrap();
    b.heading("审计日志").await;
    b.field("对象").await.select_by_label("组织").await.unwrap();
    b.wait_for_text("修改了组织「青石村」").await;
    let row = b
        .find(Locator::XPath(
            "//table[contains(@class,'audit')]//tr[.//p[contains(.,'修改了组织「青石村」')]]",
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        row.contains("王建国") && row.contains("书记：") && row.contains("→ 李四"),
        "{row}"
    );
    assert!(
        !row.contains("org.update"),
        "the code stays in the raw record: {row}"
    );
    b.screenshot("audit-log-in-words").await;
    b.set_value("起始日期", "2099-01-01").await;
    b.wait_for_text("没有符合条件的记录").await;
    b.close().await;

    // An inspector opening the users page is told it is not theirs, with no form to fill.
    let i = Browser::open(1366, 768).await;
    i.sign_in(&base, "zhangwei").await;
    i.heading("巡察轮次").await;
    for page in ["users", "audit", "templates", "ledger", "referrals"] {
        i.goto(&format!("{base}/office/{page}")).await;
        i.heading("无权访问此页面").await;
        let text = i.body_text().await;
        assert!(
            text.contains("巡察组") && !text.contains("新建用户"),
            "{page}: {text}"
        );
    }
    i.screenshot("forbidden-page").await;
    i.close().await;

    // At 360 px: a menu for the office's pages, the page no wider than the phone, tables
    // scroll inside their box.
    let p = Browser::open(360, 740).await;
    p.sign_in(&base, "admin").await;
    p.heading("全覆盖台账").await;
    p.click_button("菜单").await;
    p.link("巡察轮次").await.click().await.unwrap();
    p.link("2026年第一轮巡察").await.click().await.unwrap();
    p.heading("2026年第一轮巡察").await;
    p.find(Locator::XPath(
        "//table[contains(@class,'targets')]//a[normalize-space()='青石村']",
    ))
    .await;
    let width = p
        .eval("return document.documentElement.scrollWidth")
        .await
        .as_i64()
        .unwrap();
    assert!(width <= 360, "the page is {width} px wide");
    // A village's name stays on one line.
    let name_height = p
        .eval("return [...document.querySelectorAll('table.targets th[scope=row] a')].map(a => a.getBoundingClientRect().height)[0]")
        .await
        .as_f64()
        .unwrap();
    assert!(name_height < 40.0, "the name is {name_height} px tall");
    p.screenshot("round-targets-phone").await;
    p.click_button("菜单").await;
    p.link("整改台账").await.click().await.unwrap();
    p.heading("整改台账").await;
    p.wait_for_text("合计 2：").await;
    let width = p
        .eval("return document.documentElement.scrollWidth")
        .await
        .as_i64()
        .unwrap();
    assert!(width <= 360, "the ledger page is {width} px wide");
    p.screenshot("rectification-ledger-phone").await;
    p.close().await;
}

/// Every page of the office app, as the office opens it from its nav, at a desktop's width and
/// a phone's: a heading, no refusal, nothing wider than the screen. Screenshots of each.
#[tokio::test]
async fn every_office_page_has_a_heading_and_fits_a_phone_and_a_desktop() {
    let base = spawn_app().await;
    let target = Office::sign_in(&base)
        .await
        .round_with_target("第一巡察组", "zhangwei")
        .await;
    Office::sign_in_as(&base, "zhangwei")
        .await
        .put(
            &format!("/api/targets/{target}/findings/f-1"),
            serde_json::json!({ "focus": "responsibility", "title": "村集体资金白条入账", "severity": "general", "source": "documents" }),
        )
        .await;
    let pages = [
        ("ledger", "全覆盖台账"),
        ("rounds", "巡察轮次"),
        ("rectification", "整改台账"),
        ("reminders", "催办"),
        ("orgs", "组织架构"),
        ("templates", "检查清单模板"),
        ("users", "用户管理"),
        ("referrals", "线索移交"),
        ("audit", "审计日志"),
        ("statistics", "统计分析"),
        ("account", "我的账号"),
    ];
    for (width, height, tag) in [(1366, 768, "desk"), (360, 740, "phone")] {
        let b = Browser::open(width, height).await;
        b.sign_in(&base, "admin").await;
        b.heading("全覆盖台账").await;
        let mut paths: Vec<String> = pages.iter().map(|(p, _)| format!("/office/{p}")).collect();
        paths.push(format!("/office/targets/{target}"));
        for path in paths {
            b.goto(&format!("{base}{path}")).await;
            b.find(Locator::XPath("//main//h1")).await;
            // Lists arrive after the heading.
            tokio::time::sleep(std::time::Duration::from_millis(400)).await;
            let text = b.body_text().await;
            assert!(!text.contains("无权"), "{path} at {width}: {text}");
            let wide = b
                .eval("return document.documentElement.scrollWidth")
                .await
                .as_i64()
                .unwrap();
            assert!(
                wide <= i64::from(width),
                "{path} is {wide} px wide at {width}"
            );
            // No short word in a table (a name, a role, a state) is broken over lines.
            let broken = b
                .eval(
                    "return [...document.querySelectorAll('main table th, main table td')]
                        .filter(c => { const t = c.textContent.trim(); return t.length >= 2 && t.length <= 4 && c.children.length === 0; })
                        .filter(c => { const r = document.createRange(); r.selectNodeContents(c);
                                       const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
                                       return tops.size > 1; })
                        .map(c => c.textContent.trim())",
                )
                .await;
            assert_eq!(
                broken,
                serde_json::json!([]),
                "{path} at {width}: broken over lines"
            );
            let name = path.trim_start_matches("/office/").replace('/', "-");
            let name = if name.starts_with("targets-") {
                "target".to_string()
            } else {
                name
            };
            b.screenshot(&format!("office-{name}-{tag}")).await;
        }
        b.close().await;
    }
}

#[tokio::test]
async fn the_office_reads_the_statistics_filters_them_by_township_and_a_team_sees_only_its_own() {
    let base = spawn_app().await;
    let office = Office::sign_in(&base).await;
    let target = office.round_with_target("第一巡察组", "zhangwei").await;
    // A second team of the round inspects a village of another township.
    let orgs: Vec<OrgSummary> = office.get("/api/orgs").await;
    let qingshi = orgs.iter().find(|o| o.name == "青石村").unwrap();
    let other = orgs
        .iter()
        .find(|o| {
            o.parent_id != qingshi.parent_id
                && orgs.iter().any(|t| {
                    Some(&t.id) == o.parent_id.as_ref()
                        && t.parent_id
                            == orgs
                                .iter()
                                .find(|p| Some(&p.id) == qingshi.parent_id.as_ref())
                                .unwrap()
                                .parent_id
                })
        })
        .unwrap();
    let rounds: serde_json::Value = office.get("/api/rounds").await;
    let round = rounds[0]["id"].as_str().unwrap();
    let lina = office.user_id("lina").await;
    let team = office
        .post(
            &format!("/api/rounds/{round}/teams"),
            serde_json::json!({ "name": "第二巡察组", "leader_id": lina }),
        )
        .await;
    let made = office
        .post(
            &format!("/api/rounds/{round}/targets"),
            serde_json::json!({ "team_id": team["id"], "org_ids": [other.id] }),
        )
        .await;
    let other_target = made
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["org_id"] == other.id.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let zhang = Office::sign_in_as(&base, "zhangwei").await;
    for (id, focus, title) in [
        ("f-1", "responsibility", "村集体资金白条入账"),
        ("f-2", "policies", "低保对象未经民主评议"),
    ] {
        zhang
            .put(
                &format!("/api/targets/{target}/findings/{id}"),
                serde_json::json!({ "focus": focus, "title": title, "severity": "general", "source": "documents" }),
            )
            .await;
    }
    zhang
        .post(
            &format!("/api/targets/{target}/tasks"),
            serde_json::json!([{ "finding_id": "f-1", "measures": "补齐票据", "deadline": "2026-01-31" }]),
        )
        .await;
    Office::sign_in_as(&base, "lina")
        .await
        .put(
            &format!("/api/targets/{other_target}/findings/f-3"),
            serde_json::json!({ "focus": "organisation", "title": "部分村级支出以白条列支入账", "severity": "serious", "source": "talk" }),
        )
        .await;

    let figures = "return [...document.querySelectorAll('.key-figures div')].map(d => d.querySelector('dt').textContent + '=' + d.querySelector('dd').textContent)";
    let b = Browser::open(1366, 900).await;
    b.sign_in(&base, "admin").await;
    b.heading("全覆盖台账").await;
    b.link("统计分析").await.click().await.unwrap();
    b.heading("统计分析").await;
    b.heading("主要数据").await;
    let shown = b.eval(figures).await;
    for part in [
        "巡察对象=2",
        "发现问题=3",
        "整改率=0.0%",
        "逾期=1",
        "信访举报=0",
    ] {
        assert!(
            shown.as_array().unwrap().iter().any(|v| v == part),
            "{part} in {shown}"
        );
    }
    // Each chart is a picture of the table beside it.
    b.find(Locator::Css(
        "svg[role='img'][aria-label='问题按巡察重点和乡镇（街道）分布图']",
    ))
    .await;
    let row = b
        .find(Locator::XPath(
            "//table//tr[th[normalize-space()='三资村务']]",
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(row.contains('1'), "{row}");
    b.screenshot("statistics-office").await;
    // The two villages' 白条 findings are one common problem; its findings link to their targets.
    b.heading("共性问题").await;
    b.wait_for_text("2 个问题 · 2 个村（社区）").await;
    let summary = b
        .find(Locator::XPath(
            "//section[contains(@class,'common-problems')]//summary",
        ))
        .await;
    summary.click().await.unwrap();
    b.link("青石镇 · 青石村").await;
    b.screenshot("statistics-common-problems").await;
    // The office confirms it as a 共性问题, names the department, and downloads the notice.
    b.wait_for_text("尚未确认共性问题。").await;
    b.click_button("确认为共性问题").await;
    b.wait_for_text("必填").await;
    b.fill("通报的职能部门", "县农业农村局").await;
    b.click_button("确认为共性问题").await;
    b.wait_for_text("通报：县农业农村局 · 2 个村（社区） · 2 个问题")
        .await;
    let notice = b
        .find(Locator::XPath(
            "//a[starts-with(normalize-space(), '下载通报（Word）')]",
        ))
        .await;
    let href = notice.attr("href").await.unwrap().unwrap_or_default();
    let got = b
        .eval_async(&format!(
            "const done = arguments[arguments.length - 1]; \
             fetch('{href}').then(async r => done([r.status, r.headers.get('content-type'), \
             String.fromCharCode(...new Uint8Array(await r.arrayBuffer()).slice(0, 2))]))"
        ))
        .await;
    assert_eq!(
        got,
        serde_json::json!([
            200,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "PK"
        ])
    );
    // The group, drawn again, says it is confirmed.
    b.wait_for_text("2 个村（社区）（枫林街道、青石镇） · 已确认")
        .await;
    b.screenshot("statistics-confirmed-problem").await;

    // One township: the figures follow, and so does the export.
    b.field("乡镇（街道）")
        .await
        .select_by_label("青石镇")
        .await
        .unwrap();
    eventually("the figures of 青石镇", async || {
        let shown = b.eval(figures).await;
        shown.as_array().unwrap().iter().any(|v| v == "巡察对象=1")
            && shown.as_array().unwrap().iter().any(|v| v == "发现问题=2")
    })
    .await;
    let href = b
        .link("导出统计表（Excel）")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(href.contains("/statistics.xlsx?township_id="), "{href}");
    // A period that ends before it starts is said at the field, and nothing is lost.
    b.set_value("轮次开始于（起）", "2026-01-01").await;
    b.set_value("轮次开始于（止）", "2025-12-31").await;
    b.wait_for_text("“止”的日期不能早于“起”的日期").await;
    let shown = b.eval(figures).await;
    assert!(
        shown.as_array().unwrap().iter().any(|v| v == "发现问题=2"),
        "{shown}"
    );
    b.screenshot("statistics-bad-period").await;

    // In English.
    b.click_button("English").await;
    b.heading("Statistics").await;
    b.heading("Key figures").await;
    b.wait_for_text("Findings by focus point and township")
        .await;
    b.wait_for_text("Common problems").await;
    b.click_button("中文").await;
    b.close().await;

    // A team leader counts only the team's targets and sees no coverage.
    let b = Browser::open(360, 740).await;
    b.sign_in(&base, "lina").await;
    // The page after sign-in first: a goto before it was undone by its navigation.
    b.heading("巡察轮次").await;
    b.goto(&format!("{base}/office/statistics")).await;
    b.heading("统计分析").await;
    b.wait_for_text("仅统计您所在巡察组的巡察对象。").await;
    let shown = b.eval(figures).await;
    assert!(
        shown.as_array().unwrap().iter().any(|v| v == "发现问题=1"),
        "{shown}"
    );
    assert!(!b.body_text().await.contains("巡察覆盖"));
    let wide = b
        .eval("return document.documentElement.scrollWidth")
        .await
        .as_i64()
        .unwrap();
    assert!(wide <= 360, "{wide} px wide on a phone");
    b.screenshot("statistics-team-phone").await;
    b.close().await;
}

async fn stationing_of(office: &Office, target: &str) -> xuncha_api::stationing::Stationing {
    office
        .get(&format!("/api/targets/{target}/stationing"))
        .await
}

fn policy_title(s: &xuncha_api::stationing::Stationing) -> String {
    match &s.policies[0].content {
        xuncha_api::stationing::PrepContent::Policy { title, .. } => title.clone(),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_stationing_week_offline_reaches_the_server_once_and_a_teammates_edit_is_a_conflict_with_both_kept(
) {
    let server = xuncha_e2e::stoppable_app().await;
    let base = server.base.clone();
    let office = Office::sign_in(&base).await;
    let target = office
        .round_with_target_as(&xuncha_server::testkit::fixtures::RoundSetup {
            members: &["wangfang"],
            stationed: Some(("2026-03-09", "2026-03-20")),
            ..Default::default()
        })
        .await;
    let page = format!("{base}/office/targets/{target}");

    // Both inspectors open the target once with a network; the leader lists a policy.
    let lead = Browser::open(360, 740).await;
    lead.sign_in(&base, "zhangwei").await;
    lead.heading("巡察轮次").await;
    lead.goto(&page).await;
    lead.heading("驻村工作清单").await;
    lead.wait_for_text("尚未列入走访对象").await;
    lead.click_button("添加政策").await;
    lead.fill("政策名称", "耕地地力保护补贴").await;
    lead.fill("村里应能提供的材料", "补贴发放花名册").await;
    lead.click_button("保存到本机并发送").await;
    eventually("the policy reaches the server", async || {
        stationing_of(&office, &target).await.policies.len() == 1
    })
    .await;
    lead.wait_for_service_worker().await;
    let member = Browser::open(360, 740).await;
    member.sign_in(&base, "wangfang").await;
    member.heading("巡察轮次").await;
    member.goto(&page).await;
    member.wait_for_text("补贴发放花名册").await;

    // No signal for the week, and the server is down as well.
    lead.set_offline(true).await;
    member.set_offline(true).await;
    let config = server.stop().await;

    // The member corrects the policy on her phone.
    row_button(&member, "prep-item", "耕地地力保护补贴", "修改").await;
    member.fill("政策名称", "耕地地力保护补贴（2026年）").await;
    member.click_button("保存到本机并发送").await;
    member.wait_for_text("待发送").await;

    // The leader rewords the policy, then works through the week.
    row_button(&lead, "prep-item", "耕地地力保护补贴", "修改").await;
    lead.fill("政策名称", "耕地地力保护补贴发放到户").await;
    lead.click_button("保存到本机并发送").await;
    lead.wait_for_text("耕地地力保护补贴发放到户").await;
    week::on_site(&lead).await;

    // A reload with no network and no server keeps everything, with how long it has waited.
    lead.client.refresh().await.unwrap();
    lead.heading("驻村工作清单").await;
    lead.wait_for_text("村民12").await;
    lead.wait_for_text("低保评定未公示").await;
    lead.wait_for_text("无网络：显示本机保存的内容").await;
    lead.wait_for_text("15 项修改待发送，最早一项保存于").await;
    lead.wait_for_text("已走访 1/12 人").await;
    lead.wait_for_text("已回复：审计").await;
    for title in FINDINGS_ON_SITE {
        lead.find(Locator::XPath(&format!(
            "//ul[contains(@class,'saved-work')]/li[contains(.,'{title}')][contains(.,'待发送')]"
        )))
        .await;
    }
    for waiting in [
        ON_THE_SPOT_MEASURES,
        TALKS_ON_SITE[0].0,
        TALKS_ON_SITE[1].0,
        PETITION_ON_SITE,
    ] {
        saved_waiting(&lead, waiting).await;
    }
    lead.eval("document.querySelector('section.findings').scrollIntoView(); return true")
        .await;
    lead.screenshot("findings-offline-phone").await;
    lead.eval("document.querySelector('section.tasks').scrollIntoView(); return true")
        .await;
    lead.screenshot("on-the-spot-offline-phone").await;
    lead.eval("document.querySelector('section.stationing').scrollIntoView(); return true")
        .await;
    lead.screenshot("stationing-week-offline-phone").await;
    lead.eval("document.querySelector('section.visit-list').scrollIntoView(); return true")
        .await;
    lead.screenshot("stationing-visits-offline-phone").await;

    // The signal returns: the member's edit arrives first.
    let _server = xuncha_server::testkit::Running::start(config)
        .await
        .unwrap();
    member.set_offline(false).await;
    eventually("the member's edit is on the server", async || {
        policy_title(&stationing_of(&office, &target).await) == "耕地地力保护补贴（2026年）"
    })
    .await;
    lead.set_offline(false).await;
    eventually("the leader's week is on the server", async || {
        stationing_of(&office, &target).await.visits.len() == 12
    })
    .await;
    eventually("the findings are on the server", async || {
        let found: Vec<xuncha_api::findings::Finding> =
            office.get(&format!("/api/targets/{target}/findings")).await;
        found.len() == 3
    })
    .await;
    eventually(
        "the talks, the petition and the task are on the server",
        async || {
            let talks: Vec<serde_json::Value> =
                office.get(&format!("/api/targets/{target}/talks")).await;
            let petitions: Vec<serde_json::Value> = office
                .get(&format!("/api/targets/{target}/petitions"))
                .await;
            let tasks: Vec<serde_json::Value> =
                office.get(&format!("/api/targets/{target}/tasks")).await;
            (talks.len(), petitions.len(), tasks.len()) == (2, 1, 1)
        },
    )
    .await;
    let tasks: Vec<xuncha_api::rectification::Task> =
        office.get(&format!("/api/targets/{target}/tasks")).await;
    assert_eq!(
        (
            tasks[0].kind,
            tasks[0].finding_title.as_str(),
            tasks[0].measures.as_str(),
            tasks[0].deadline.to_string().as_str()
        ),
        (
            xuncha_api::rectification::TaskKind::OnTheSpot,
            FINDINGS_ON_SITE[0],
            ON_THE_SPOT_MEASURES,
            "2026-03-20"
        ),
        "the last day of the stationing"
    );
    let petitions: Vec<xuncha_api::petitions::Petition> = office
        .get(&format!("/api/targets/{target}/petitions"))
        .await;
    assert_eq!(
        (petitions[0].content.as_str(), petitions[0].channel),
        (PETITION_ON_SITE, xuncha_api::petitions::Channel::Visit)
    );
    let found: Vec<xuncha_api::findings::Finding> =
        office.get(&format!("/api/targets/{target}/findings")).await;
    let from_visit = found
        .iter()
        .find(|f| f.title == FINDINGS_ON_SITE[0])
        .unwrap();
    assert_eq!(
        (from_visit.source, from_visit.description.as_str()),
        (xuncha_api::findings::FindingSource::Visit, VISIT_NOTE)
    );
    lead.wait_for_text("立行立改 1 项，已完成 0 项").await;
    // Each once, and in the team's list on the phone.
    for title in FINDINGS_ON_SITE {
        lead.find(Locator::XPath(&format!(
            "//section[contains(@class,'findings')]/ol/li[contains(.,'{title}')]"
        )))
        .await;
    }
    // The same policy, changed on two phones: shown with both versions, neither lost.
    lead.wait_for_text("有冲突").await;
    let text = lead.body_text().await;
    assert!(text.contains("耕地地力保护补贴（2026年）"), "{text}");
    assert!(text.contains("耕地地力保护补贴发放到户"), "{text}");
    lead.eval("document.querySelector('.conflict').scrollIntoView(); return true")
        .await;
    lead.screenshot("stationing-conflict-phone").await;
    let s = stationing_of(&office, &target).await;
    assert_eq!(policy_title(&s), "耕地地力保护补贴（2026年）");
    assert_eq!(s.visits.len(), 12, "each visit once");
    assert_eq!(s.summary.visits_made, 1);
    let visited = s.visits.iter().find(|v| v.person_name == "村民01").unwrap();
    assert_eq!(visited.note, "反映低保评定不公开");
    assert_eq!(visited.visitors[0].name, "张伟");
    // The finding written from the visit names it, sent after it though both were made with
    // no signal; the other two name none, and the visit's row lists what it led to.
    let named: Vec<(&str, Option<&str>)> = found
        .iter()
        .map(|f| (f.title.as_str(), f.visit_id.as_deref()))
        .collect();
    assert_eq!(
        named,
        [
            (FINDINGS_ON_SITE[0], Some(visited.id.as_str())),
            (FINDINGS_ON_SITE[1], None),
            (FINDINGS_ON_SITE[2], None)
        ]
    );
    lead.find(Locator::XPath(&format!(
        "//li[contains(@class,'visit')][contains(.,'村民01')]/p[normalize-space()='据此登记的问题：{}']",
        FINDINGS_ON_SITE[0]
    )))
    .await;
    lead.eval("document.querySelector('section.visit-list').scrollIntoView(); return true")
        .await;
    lead.screenshot("visit-findings-phone").await;
    assert_eq!(s.information.len(), 1);
    assert_eq!(
        s.summary.sources_answered,
        [xuncha_api::stationing::InfoSource::Audit]
    );
    assert_eq!(s.expected.len(), 1);
    match &s.expected[0].content {
        xuncha_api::stationing::PrepContent::Expected { visit_ids, .. } => {
            assert_eq!(visit_ids, std::slice::from_ref(&visited.id))
        }
        other => panic!("{other:?}"),
    }

    // The leader keeps his wording: it goes on the member's version.
    lead.click_button("保留本机的版本").await;
    eventually("the leader's wording is on the server", async || {
        policy_title(&stationing_of(&office, &target).await) == "耕地地力保护补贴发放到户"
    })
    .await;
    eventually("nothing waits", async || {
        let t = lead.body_text().await;
        !t.contains("有冲突") && !t.contains("待发送")
    })
    .await;
    // Back in signal, what the villager said on the visit becomes a problem clue too.
    row_button(&lead, "visit", "村民01", "登记为问题线索").await;
    assert_eq!(
        value_of(&lead, "问题内容").await.as_deref(),
        Some(VISIT_NOTE)
    );
    lead.find(Locator::XPath(
        "//details[@id='new-clue']//select/option[@selected][contains(.,'村民01')]",
    ))
    .await;
    lead.fill("反映对象", "村会计李某").await;
    lead.click_button("保存问题线索").await;
    eventually("the clue is on the server", async || {
        let clues: Vec<xuncha_api::clues::Clue> =
            office.get(&format!("/api/targets/{target}/clues")).await;
        clues.len() == 1
    })
    .await;
    let clues: Vec<xuncha_api::clues::Clue> =
        office.get(&format!("/api/targets/{target}/clues")).await;
    assert_eq!(
        (
            clues[0].source,
            clues[0].source_id.as_deref(),
            clues[0].matter.as_str()
        ),
        (
            xuncha_api::clues::ClueSource::Visit,
            Some(visited.id.as_str()),
            VISIT_NOTE
        )
    );
    // An edit open on one row keeps what was typed while another row changes: the leader
    // takes 村民12 off the list, which is saved on the phone and sent at once.
    row_button(&lead, "visit", "村民02", "修改").await;
    lead.fill("走访对象姓名", "村民02（户主）").await;
    row_button(&lead, "visit", "村民12", "移除").await;
    eventually("村民12 is off the server's list", async || {
        stationing_of(&office, &target).await.visits.len() == 11
    })
    .await;
    eventually("nothing waits", async || {
        !lead.body_text().await.contains("待发送")
    })
    .await;
    assert_eq!(
        value_of(&lead, "走访对象姓名").await.as_deref(),
        Some("村民02（户主）")
    );
    member.close().await;
    lead.close().await;
}

#[tokio::test]
async fn a_visit_whose_reply_was_lost_then_edited_again_is_no_conflict_with_itself() {
    let server = xuncha_e2e::stoppable_app().await;
    let relay = xuncha_e2e::Relay::start(&server.base).await;
    let base = relay.base.clone();
    let office = Office::sign_in(&server.base).await;
    let target = office
        .round_with_target_as(&xuncha_server::testkit::fixtures::RoundSetup::default())
        .await;
    let b = Browser::open(360, 740).await;
    b.sign_in(&base, "zhangwei").await;
    b.heading("巡察轮次").await;
    b.goto(&format!("{base}/office/targets/{target}")).await;
    b.wait_for_text("尚未列入走访对象").await;
    b.click_button("添加走访对象").await;
    b.fill("走访对象姓名", "村民甲").await;
    b.click_button("保存到本机并发送").await;
    eventually("the visit is listed on the server", async || {
        stationing_of(&office, &target).await.visits.len() == 1
    })
    .await;
    eventually("nothing waits", async || {
        !b.body_text().await.contains("待发送")
    })
    .await;
    // The server records the visit, and its reply never reaches the phone.
    relay.lose_reply_to_and_signal("PUT /api/targets/");
    row_button(&b, "visit", "村民甲", "记录走访").await;
    b.fill("走访情况", "反映低保评定不公开").await;
    b.click_button("保存到本机并发送").await;
    eventually("the reply is lost", async || relay.reply_lost()).await;
    let s = stationing_of(&office, &target).await;
    assert_eq!(s.visits[0].note, "反映低保评定不公开", "the server took it");
    b.wait_for_text("待发送").await;

    // Before the signal returns the inspector adds to the note.
    row_button(&b, "visit", "村民甲", "修改").await;
    b.fill("走访情况", "反映低保评定不公开，3户未公示").await;
    b.click_button("保存到本机并发送").await;
    b.wait_for_text("3户未公示").await;
    relay.reconnect();
    b.eval("window.dispatchEvent(new Event('online')); return null")
        .await;
    eventually("the second note is on the server", async || {
        stationing_of(&office, &target).await.visits[0].note == "反映低保评定不公开，3户未公示"
    })
    .await;
    eventually("nothing waits", async || {
        !b.body_text().await.contains("待发送")
    })
    .await;
    let text = b.body_text().await;
    assert!(
        !text.contains("有冲突"),
        "its own visit is no conflict:\n{text}"
    );
    let s = stationing_of(&office, &target).await;
    assert_eq!(s.visits.len(), 1);
    assert_eq!(s.visits[0].version, 3);
    b.close().await;
}

#[tokio::test]
async fn tasks_whose_reply_was_lost_are_created_once_and_shown_once() {
    let server = xuncha_e2e::stoppable_app().await;
    let relay = xuncha_e2e::Relay::start(&server.base).await;
    let base = relay.base.clone();
    let office = Office::sign_in(&server.base).await;
    let target = office
        .round_with_target_as(&xuncha_server::testkit::fixtures::RoundSetup::default())
        .await;
    let team = Office::sign_in_as(&server.base, "zhangwei").await;
    for (id, title) in [
        ("f-1", "村务公开栏未按季度更新"),
        ("f-2", "三会一课记录不全"),
    ] {
        team.put(
            &format!("/api/targets/{target}/findings/{id}"),
            serde_json::json!({ "focus": "responsibility", "title": title,
                                "severity": "general", "source": "documents" }),
        )
        .await;
    }
    let b = Browser::open(1280, 900).await;
    b.sign_in(&base, "zhangwei").await;
    b.heading("巡察轮次").await;
    b.goto(&format!("{base}/office/targets/{target}")).await;
    b.field("整改措施：三会一课记录不全").await;
    b.fill("整改措施：村务公开栏未按季度更新", "每季度更新公开栏")
        .await;
    // The server creates both tasks, and its reply never reaches the browser.
    relay.lose_reply_to_and_signal("POST /api/targets/");
    b.click_button("生成整改任务").await;
    eventually("the reply is lost", async || relay.reply_lost()).await;
    let tasks = async || -> Vec<xuncha_api::rectification::Task> {
        office.get(&format!("/api/targets/{target}/tasks")).await
    };
    assert_eq!(tasks().await.len(), 2, "the server took them");
    // To the browser that was no network: the tasks wait under the ids they were sent with.
    saved_waiting(&b, "每季度更新公开栏").await;
    relay.reconnect();
    b.eval("window.dispatchEvent(new Event('online')); return null")
        .await;
    eventually("nothing waits", async || {
        !b.body_text().await.contains("等待发送")
    })
    .await;
    let made = tasks().await;
    assert_eq!(made.len(), 2, "each once: {made:?}");
    let rows = b
        .eval("return document.querySelectorAll('section.tasks ul.task-list > li').length")
        .await;
    assert_eq!(rows, 2);
    assert!(
        !b.body_text().await.contains("生成整改任务"),
        "no finding is left without its task"
    );
    b.close().await;
}
