//! Petitions: a villager's report on the plain public page with a tracking code, refused
//! clearly and stored not at all when wrong; the team's triage; need-to-know for everyone
//! else, the petitioner's contact for the team leader only. On SQLite, and on PostgreSQL when
//! XUNCHA_TEST_POSTGRES is set.

mod common;

use common::TestApp;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use xuncha_api::audit::ReadEntry;
use xuncha_api::petitions::{Petition, PetitionLedger};
use xuncha_api::rounds::Phase;
use xuncha_api::Problem;

const SECRET: &str = "村会计把低保名额给了自己亲戚";
const PHONE: &str = "13900001111";
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00 a photo";

struct Setup {
    app: TestApp,
    admin: Client,
    /// 张伟, who leads the team.
    leader: Client,
    /// 王芳, on the team.
    member: Client,
    target: String,
    round: String,
    org: String,
}

async fn setup_with(adjust: impl FnOnce(&mut xuncha_server::config::Config)) -> Setup {
    let app = TestApp::spawn_with(adjust).await;
    let admin = app.login("admin").await;
    let target = app
        .round_with_target(&admin, "zhangwei", &["wangfang"])
        .await;
    let office = xuncha_server::testkit::fixtures::Office::with(admin.clone(), &app.base);
    let rounds: Value = office.get("/api/rounds").await;
    let round = rounds[0]["id"].as_str().unwrap().to_string();
    let org = office.org_id("青石村").await;
    let leader = app.login("zhangwei").await;
    let member = app.login("wangfang").await;
    Setup {
        app,
        admin,
        leader,
        member,
        target,
        round,
        org,
    }
}

async fn setup() -> Setup {
    let s = setup_with(|_| {}).await;
    s.app
        .advance_round(&s.admin, &s.round, Phase::Stationing)
        .await;
    s
}

/// What a phone without JavaScript does: load the page, take its token.
async fn token(app: &TestApp, org: &str) -> String {
    let page = TestApp::client()
        .get(app.url(&format!("/xinfang/{org}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = page.find("name=\"token\" value=\"").expect("a form token") + 20;
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

fn form(token: &str, content: &str) -> Form {
    Form::new()
        .text("token", token.to_string())
        .text("website", "")
        .text("content", content.to_string())
        .text("concerns", "村会计")
        .text("contact", PHONE)
}

fn photo(form: Form, bytes: &[u8], content_type: &str) -> Form {
    form.part(
        "photos",
        Part::bytes(bytes.to_vec())
            .file_name("p.jpg")
            .mime_str(content_type)
            .unwrap(),
    )
}

async fn send(app: &TestApp, org: &str, form: Form) -> (StatusCode, String) {
    let r = TestApp::client()
        .post(app.url(&format!("/xinfang/{org}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// The tracking code on the page that answers a petition.
fn code_of(page: &str) -> String {
    let at = page.find("id=\"code\">").expect("a tracking code") + 10;
    page[at..at + page[at..].find('<').unwrap()].to_string()
}

async fn lookup(app: &TestApp, code: &str) -> (StatusCode, String) {
    let r = TestApp::client()
        .post(app.url("/chaxun"))
        .form(&[("code", code)])
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn petitions(s: &Setup, who: &Client) -> Vec<Petition> {
    s.app
        .get_json(who, &format!("/api/targets/{}/petitions", s.target))
        .await
}

#[tokio::test]
async fn a_villager_reports_keeps_the_code_and_reads_only_the_public_answer() {
    let s = setup().await;
    let page = TestApp::client()
        .get(s.app.url(&format!("/xinfang/{}", s.org)))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    // No script may run on it, whatever a template holds.
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.starts_with("default-src 'none'") && !csp.contains("script-src"),
        "{csp}"
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("<label for=\"content\">") && html.contains("第一巡察组"));
    assert!(!html.contains("<script") && !html.contains(".wasm"));

    let t = token(&s.app, &s.org).await;
    let (status, done) = send(&s.app, &s.org, photo(form(&t, SECRET), JPEG, "image/jpeg")).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let code = code_of(&done);
    assert_eq!(code.split(' ').count(), 5, "{code}");
    assert_eq!(code.replace(' ', "").len(), 25);

    // The leader reads it with the number left; the member, the office and discipline without.
    let mine = petitions(&s, &s.leader).await;
    assert_eq!(mine.len(), 1);
    let p = &mine[0];
    assert_eq!(
        (p.content.as_str(), p.contact.as_deref(), p.files.len()),
        (SECRET, Some(PHONE), 1)
    );
    let discipline = s.app.login("liuyang").await;
    for who in [&s.member, &s.admin, &discipline] {
        let seen = petitions(&s, who).await;
        assert_eq!(
            (seen[0].contact.as_deref(), seen[0].anonymous),
            (None, false)
        );
        let one = s
            .app
            .get_json::<Value>(who, &format!("/api/petitions/{}", p.id))
            .await;
        assert!(!one.to_string().contains(PHONE));
    }
    // The photo came through whole.
    let file = s
        .leader
        .get(
            s.app
                .url(&format!("/api/petitions/{}/files/{}", p.id, p.files[0].id)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(file.bytes().await.unwrap().as_ref(), JPEG);

    // Nothing of the sender, and nothing of what they wrote, is in the log.
    let log = s.app.audit(&s.admin, "?action=petition.receive").await;
    let entry = serde_json::to_string(&log.entries).unwrap();
    assert!(entry.contains("petition.receive"), "{entry}");
    for private in [PHONE, SECRET, "127.0.0.1"] {
        assert!(!entry.contains(private), "{private} in {entry}");
    }

    // Status before triage.
    let (status, before) = lookup(&s.app, &code).await;
    assert_eq!(status, StatusCode::OK);
    assert!(before.contains("已受理") && before.contains("青石村"));

    // The team makes it a clue naming the petition, and triages with an answer for the public.
    let clue = s
        .leader
        .put(
            s.app
                .url(&format!("/api/targets/{}/clues/cl-from-pet", s.target)),
        )
        .json(&json!({
            "person_name": "村会计", "matter": "优亲厚友分配低保名额", "source": "petition",
            "source_id": p.id, "seriousness": "serious"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        clue.status(),
        StatusCode::OK,
        "{}",
        clue.text().await.unwrap()
    );
    let triaged = s
        .member
        .put(s.app.url(&format!("/api/petitions/{}/triage", p.id)))
        .json(&json!({
            "outcome": "clue", "clue_id": "cl-from-pet", "status": "handling",
            "reason": "内部：与走访所见一致", "public_answer": "已按规定移交有关部门办理。",
            "base_version": p.version
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(triaged.status(), StatusCode::OK);

    let (_, after) = lookup(&s.app, &format!("  {}  ", code.replace(' ', "-"))).await;
    assert!(after.contains("办理中") && after.contains("已按规定移交有关部门办理。"));
    for internal in ["内部", "村会计", SECRET, PHONE] {
        assert!(
            !after.contains(internal),
            "{internal} on the public status page"
        );
    }

    // A wrong code says no more than a malformed one.
    let mut wrong = code.replace(' ', "").into_bytes();
    wrong[0] = if wrong[0] == b'9' { b'1' } else { wrong[0] + 1 };
    let (a, a_body) = lookup(&s.app, std::str::from_utf8(&wrong).unwrap()).await;
    let (b, b_body) = lookup(&s.app, "123").await;
    assert_eq!((a, b), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert_eq!(a_body, b_body);
    assert!(!a_body.contains("青石村"));

    // Every read is in its log, the office's own included.
    let reads: Vec<ReadEntry> = s
        .app
        .get_json(&s.admin, &format!("/api/petitions/{}/reads", p.id))
        .await;
    let who: Vec<&str> = reads
        .iter()
        .filter_map(|r| r.actor_name.as_deref())
        .collect();
    for name in ["张伟", "王芳", "刘洋"] {
        assert!(who.contains(&name), "{name} not in {who:?}");
    }
    assert!(reads
        .iter()
        .any(|r| r.endpoint == "GET /api/petitions/{id}/files/{file_id}"));
}

#[tokio::test]
async fn a_wrong_submission_is_told_what_is_wrong_keeps_the_text_and_stores_nothing() {
    let s = setup_with(|c| c.petitions_per_address = 2).await;
    let org = s.org.clone();

    // Before the team is stationed the page takes nothing (and offers no form to post).
    let (status, page) = send(&s.app, &org, form("", SECRET)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("巡察组尚未进驻"), "{page}");
    s.app
        .advance_round(&s.admin, &s.round, Phase::Stationing)
        .await;

    let t = token(&s.app, &org).await;
    let big = vec![0xffu8; 5 * 1024 * 1024 + 1];
    let mut big_jpeg = JPEG.to_vec();
    big_jpeg.extend_from_slice(&big);
    let cases: Vec<(&str, Form, StatusCode, &str)> = vec![
        (
            "empty",
            form(&t, "  "),
            StatusCode::UNPROCESSABLE_ENTITY,
            "请写下您要反映的问题",
        ),
        (
            "too long",
            form(&t, &"字".repeat(2001)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "不能超过 2000 个字符",
        ),
        (
            "not a photo",
            photo(form(&t, SECRET), b"<html><script>x</script>", "text/html"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "只能上传照片",
        ),
        (
            "a page calling itself a photo",
            photo(form(&t, SECRET), b"<html><script>x</script>", "image/jpeg"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "无法识别",
        ),
        (
            "too large",
            photo(form(&t, SECRET), &big_jpeg, "image/jpeg"),
            StatusCode::PAYLOAD_TOO_LARGE,
            "不能超过 5 MB",
        ),
        (
            "four photos",
            (0..4).fold(form(&t, SECRET), |f, _| photo(f, JPEG, "image/jpeg")),
            StatusCode::UNPROCESSABLE_ENTITY,
            "最多只能上传 3 张",
        ),
        (
            "a robot",
            form(&t, SECRET).text("website", "http://spam.example"),
            StatusCode::BAD_REQUEST,
            "无法提交",
        ),
        (
            "no token",
            form("", SECRET),
            StatusCode::BAD_REQUEST,
            "页面已过期",
        ),
        (
            "a forged token",
            form(&format!("{}x", &t[..t.len() - 1]), SECRET),
            StatusCode::BAD_REQUEST,
            "页面已过期",
        ),
    ];
    for (name, f, status, says) in cases {
        let (got, page) = send(&s.app, &org, f).await;
        assert_eq!(got, status, "{name}");
        assert!(page.contains(says), "{name}: {page}");
        assert!(page.contains("role=\"alert\""), "{name}");
        // What was typed is back in the form (the 2,001 characters too).
        if name != "empty" && name != "too long" {
            assert!(page.contains(SECRET), "{name} lost the text");
        }
        if name == "too long" {
            assert!(page.contains(&"字".repeat(2001)));
        }
        assert!(petitions(&s, &s.leader).await.is_empty(), "{name} stored");
    }

    // The token survived all of that unused; once used it is refused.
    let (ok, _) = send(&s.app, &org, form(&t, SECRET)).await;
    assert_eq!(ok, StatusCode::OK);
    let (again, page) = send(&s.app, &org, form(&t, SECRET)).await;
    assert_eq!(again, StatusCode::CONFLICT);
    assert!(page.contains("已经提交过了") && page.contains(SECRET));
    assert_eq!(petitions(&s, &s.leader).await.len(), 1);

    // Two an hour from one address here; the third is told to wait or call.
    let (second, _) = send(&s.app, &org, form(&token(&s.app, &org).await, "第二件")).await;
    assert_eq!(second, StatusCode::OK);
    let (third, page) = send(&s.app, &org, form(&token(&s.app, &org).await, "第三件")).await;
    assert_eq!(third, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("提交太频繁") && page.contains("第三件"));
    assert_eq!(petitions(&s, &s.leader).await.len(), 2);

    // An organisation that is not there.
    let (none, _) = send(&s.app, "no-such-org", form(&t, SECRET)).await;
    assert_eq!(none, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn one_form_sent_twenty_times_at_once_is_received_once() {
    let s = setup().await;
    let t = token(&s.app, &s.org).await;
    let sends = (0..20).map(|_| send(&s.app, &s.org, form(&t, SECRET)));
    let results = futures::future::join_all(sends).await;
    let ok = results
        .iter()
        .filter(|(st, _)| *st == StatusCode::OK)
        .count();
    let used = results
        .iter()
        .filter(|(st, _)| *st == StatusCode::CONFLICT)
        .count();
    assert_eq!(
        (ok, used),
        (1, 19),
        "{:?}",
        results.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    assert_eq!(petitions(&s, &s.leader).await.len(), 1);
}

#[tokio::test]
async fn the_team_enters_and_triages_every_petition_before_the_report_phase_ends() {
    let s = setup().await;
    let url = |id: &str| {
        s.app
            .url(&format!("/api/targets/{}/petitions/{id}", s.target))
    };
    let letter = json!({
        "channel": "letter", "received_on": "2026-03-12",
        "content": "反映村里修路款项不公开", "concerns": "村委会", "contact": ""
    });
    let r = s
        .member
        .put(url("pt-1"))
        .json(&letter)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let p: Petition = r.json().await.unwrap();
    assert!(p.anonymous && p.contact.is_none() && p.outcome.is_none());
    // A re-send after a lost reply stores nothing twice; other words under the id are refused.
    let again = s
        .member
        .put(url("pt-1"))
        .json(&letter)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    let mut other = letter.clone();
    other["content"] = json!("别的内容");
    let r = s.member.put(url("pt-1")).json(&other).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let mut online = letter.clone();
    online["channel"] = json!("online");
    common::assert_invalid(
        s.member
            .put(url("pt-2"))
            .json(&online)
            .send()
            .await
            .unwrap(),
        "channel",
        Problem::NotAllowed,
    )
    .await;
    // The office reads petitions; entering them is the team's.
    let r = s.admin.put(url("pt-3")).json(&letter).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let phone = json!({
        "channel": "phone", "received_on": "2026-03-13",
        "content": "反映村支书长期不在村", "contact": "13800002222"
    });
    let r = s.leader.put(url("pt-4")).json(&phone).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // The report phase cannot end while one waits.
    s.app.advance_round(&s.admin, &s.round, Phase::Report).await;
    let blocked = s
        .admin
        .post(s.app.url(&format!("/api/rounds/{}/phase", s.round)))
        .json(&json!({ "to": "feedback" }))
        .send()
        .await
        .unwrap();
    let e = common::error(blocked, StatusCode::CONFLICT).await;
    assert_eq!(e.problem, Some(Problem::Untriaged { count: 2 }));

    let triage = |id: &str, body: Value| {
        s.member
            .put(s.app.url(&format!("/api/petitions/{id}/triage")))
            .json(&body)
            .send()
    };
    common::assert_invalid(
        triage(
            "pt-1",
            json!({ "outcome": "no_action", "status": "concluded", "base_version": 1 }),
        )
        .await
        .unwrap(),
        "reason",
        Problem::Required,
    )
    .await;
    // A finding that did not come from a petition is not what this one became.
    let finding = s
        .member
        .put(s.app.url(&format!("/api/targets/{}/findings/f-1", s.target)))
        .json(&json!({
            "focus": "organisation", "title": "三会一课不规范", "severity": "general", "source": "documents"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(finding.status(), StatusCode::OK);
    let finding: Value = finding.json().await.unwrap();
    common::assert_invalid(
        triage(
            "pt-1",
            json!({ "outcome": "finding", "finding_id": finding["id"], "status": "handling", "base_version": 1 }),
        )
        .await
        .unwrap(),
        "finding_id",
        Problem::UnknownReference,
    )
    .await;
    let r = triage(
        "pt-1",
        json!({ "outcome": "transfer", "transfer_to": "镇农经站", "status": "concluded",
                "public_answer": "已转镇农经站办理。", "base_version": 1 }),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Decided on an old version: refused.
    let stale = triage(
        "pt-1",
        json!({ "outcome": "no_action", "reason": "重复", "status": "concluded",
                "public_answer": "x", "base_version": 1 }),
    )
    .await
    .unwrap();
    assert_eq!(
        common::error(stale, StatusCode::CONFLICT).await.problem,
        Some(Problem::Stale)
    );
    let r = triage(
        "pt-4",
        json!({ "outcome": "no_action", "reason": "经核实，村支书因病住院", "status": "concluded",
                "public_answer": "经核实，情况属实但有正当理由。", "base_version": 1 }),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    s.app
        .advance_round(&s.admin, &s.round, Phase::Feedback)
        .await;

    // The ledger counts per channel and outcome, and goes out as .xlsx.
    let l: PetitionLedger = s
        .app
        .get_json(&s.admin, &format!("/api/rounds/{}/petitions", s.round))
        .await;
    assert_eq!(l.rows.len(), 2);
    let count = |c: &str| {
        l.by_channel
            .iter()
            .find(|x| x.channel.as_str() == c)
            .unwrap()
            .count
    };
    assert_eq!(
        (count("letter"), count("phone"), count("online")),
        (1, 1, 0)
    );
    let untriaged = l.by_outcome.iter().find(|c| c.outcome.is_none()).unwrap();
    assert_eq!(untriaged.count, 0);
    let mut book = s
        .app
        .xlsx(&s.admin, &format!("/api/rounds/{}/petitions.xlsx", s.round))
        .await;
    use calamine::Reader;
    let sheet = book.worksheet_range("信访举报台账").unwrap();
    let text: Vec<String> = sheet.rows().flatten().map(|c| c.to_string()).collect();
    for want in [
        "青石村",
        "来信",
        "转办",
        "镇农经站",
        "不予处理",
        "合计 2 件",
    ] {
        assert!(
            text.iter().any(|t| t.contains(want)),
            "{want} not in {text:?}"
        );
    }
    // A team of another round's targets, and the unit, get none of it.
    let unit = s.app.login("qingshi").await;
    let r = unit
        .get(s.app.url(&format!("/api/rounds/{}/petitions", s.round)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn nobody_else_learns_a_petition_exists_and_the_notice_invites_them() {
    let s = setup().await;
    let t = token(&s.app, &s.org).await;
    let (status, _) = send(&s.app, &s.org, photo(form(&t, SECRET), JPEG, "image/jpeg")).await;
    assert_eq!(status, StatusCode::OK);
    let p = petitions(&s, &s.leader).await.remove(0);
    let file = p.files[0].id.clone();

    let unit = s.app.login("qingshi").await;
    let other_team = s.app.login("lina").await;
    let anonymous = TestApp::client();
    let urls = [
        format!("/api/targets/{}/petitions", s.target),
        format!("/api/petitions/{}", p.id),
        format!("/api/petitions/{}/files/{file}", p.id),
    ];
    for (name, who, status) in [
        ("unit", &unit, 404),
        ("other team", &other_team, 404),
        ("anonymous", &anonymous, 401),
    ] {
        for url in &urls {
            let r = who.get(s.app.url(url)).send().await.unwrap();
            assert_eq!(r.status().as_u16(), status, "{name} GET {url}");
        }
        let r = who
            .put(s.app.url(&format!("/api/petitions/{}/triage", p.id)))
            .json(&json!({ "outcome": "no_action", "reason": "x", "status": "handling", "base_version": 1 }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), status, "{name} triage");
    }
    s.app
        .nothing_shows(
            &s.admin,
            &[
                ("unit", &unit),
                ("other team", &other_team),
                ("anonymous", &anonymous),
            ],
            &s.target,
            &[p.id.clone(), file],
            &[SECRET, PHONE],
        )
        .await;

    // The office writes the notice; the team reads it; its QR code leads to the village's page.
    let r = s
        .leader
        .put(s.app.url(&format!("/api/targets/{}/notice", s.target)))
        .json(&json!({ "phone": "0571-12345678", "box_location": "村委会门口" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = s
        .admin
        .put(s.app.url(&format!("/api/targets/{}/notice", s.target)))
        .json(&json!({ "phone": "0571-12345678", "box_location": "村委会门口", "grace_days": 7 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let print = s
        .leader
        .get(
            s.app
                .url(&format!("/api/targets/{}/notice/print", s.target)),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(print.contains("<svg") && print.contains(&format!("/xinfang/{}", s.org)));
    assert!(print.contains("0571-12345678") && print.contains("村委会门口"));
    // The same notice as a Word document, its QR code a picture in it.
    let docx = s
        .leader
        .get(s.app.url(&format!("/api/targets/{}/notice.docx", s.target)))
        .send()
        .await
        .unwrap();
    assert_eq!(docx.status(), StatusCode::OK);
    assert_eq!(
        docx.headers()["content-type"],
        xuncha_server::documents::DOCX
    );
    assert!(docx.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("%E5%B7%A1%E5%AF%9F%E5%85%AC%E5%91%8A.docx"));
    let bytes = docx.bytes().await.unwrap();
    let text = xuncha_server::documents::paragraphs(&bytes).unwrap();
    assert_eq!(text[0], "巡察公告");
    for want in [
        "巡察组电话：0571-12345678",
        "意见箱位置：村委会门口",
        "手机扫码反映问题（无需注册，可匿名）",
    ] {
        assert!(text.iter().any(|t| t == want), "{want} in {text:#?}");
    }
    assert_eq!(
        text.iter().any(|t| t.starts_with("受理时间：即日起至")),
        print.contains("受理时间"),
        "the document says what the page says"
    );
    assert!(text
        .iter()
        .any(|t| t.ends_with(&format!("/xinfang/{}", s.org))));
    assert_eq!(xuncha_server::documents::images(&bytes).unwrap(), 1);
    for (name, who, status) in [("unit", &unit, 403), ("other team", &other_team, 404)] {
        let r = who
            .get(s.app.url(&format!("/api/targets/{}/notice.docx", s.target)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), status, "{name}");
    }
    let page = TestApp::client()
        .get(s.app.url(&format!("/xinfang/{}?lang=en", s.org)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("0571-12345678") && page.contains("What happened (required)"));
    let r = unit
        .get(s.app.url(&format!("/api/targets/{}/notice", s.target)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
