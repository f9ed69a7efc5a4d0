//! What the HTTP tests share: a real server on 127.0.0.1:0 over a fresh database each, and
//! typed helpers. The database is SQLite, or PostgreSQL when XUNCHA_TEST_POSTGRES is set.

#![allow(dead_code)]

use reqwest::{Client, StatusCode};
use serde_json::json;
use xuncha_api::audit::AuditPage;
use xuncha_api::orgs::OrgSummary;
use xuncha_api::rounds::{Phase, Round};
use xuncha_api::ApiError;
use xuncha_server::config::Config;
use xuncha_server::demo::PASSWORD;
use xuncha_server::testkit;

pub struct TestApp {
    pub base: String,
    /// The server's own state, for a test that must look at or set up the database directly.
    pub state: xuncha_server::AppState,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let (base, state) = testkit::spawn(adjust).await.expect("server starts");
        TestApp { base, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn client() -> Client {
        Client::builder().cookie_store(true).build().unwrap()
    }

    pub async fn try_login(&self, username: &str, password: &str) -> (Client, reqwest::Response) {
        let c = TestApp::client();
        let r = c
            .post(self.url("/api/auth/login"))
            .json(&json!({ "username": username, "password": password }))
            .send()
            .await
            .unwrap();
        (c, r)
    }

    /// GETs a path as `c` and reads the answer as `T`.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, c: &Client, path: &str) -> T {
        c.get(self.url(path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn login(&self, username: &str) -> Client {
        let (c, r) = self.try_login(username, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::OK, "{username} signs in");
        c
    }

    /// The signed-in liaison's new self-check.
    pub async fn open_self_check(&self, unit: &Client) -> xuncha_api::checklists::Record {
        let r = unit
            .post(self.url("/api/checklists/records"))
            .json(&json!({ "kind": "self_check" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    }

    /// A photo on a record's item under the device's id, as the phone sends it.
    pub async fn put_evidence(
        &self,
        c: &Client,
        record: &str,
        id: &str,
        item: &str,
        bytes: &[u8],
    ) -> StatusCode {
        c.put(self.url(&format!(
            "/api/checklists/records/{record}/evidence/{id}?item_id={item}"
        )))
        .header("content-type", "image/jpeg")
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap()
        .status()
    }

    pub async fn orgs(&self, c: &Client) -> Vec<OrgSummary> {
        let r = c.get(self.url("/api/orgs")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    }

    pub async fn org_named(&self, c: &Client, name: &str) -> OrgSummary {
        self.orgs(c)
            .await
            .into_iter()
            .find(|o| o.name == name)
            .unwrap_or_else(|| panic!("{name} exists"))
    }

    /// Downloads a spreadsheet as `c` and opens it.
    pub async fn xlsx(&self, c: &Client, path: &str) -> calamine::Xlsx<std::io::Cursor<Vec<u8>>> {
        let r = c.get(self.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        let bytes = r.bytes().await.unwrap().to_vec();
        calamine::Reader::new(std::io::Cursor::new(bytes)).expect("an .xlsx")
    }

    pub async fn audit(&self, c: &Client, query: &str) -> AuditPage {
        c.get(self.url(&format!("/api/audit{query}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

impl TestApp {
    /// The liaison reports progress (which starts a pending task); the same note on the same
    /// task is the same report, as a phone re-sending it would make it.
    pub async fn report(&self, c: &Client, id: &str, note: &str) -> reqwest::Response {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        note.hash(&mut h);
        c.post(self.url(&format!("/api/tasks/{id}/progress")))
            .json(&json!({ "id": format!("{id}-{:x}", h.finish()), "note": note }))
            .send()
            .await
            .unwrap()
    }

    /// A task of 青石村 run through to 已销号: its liaison reports it done with a photo and
    /// submits, `team` accepts, the office closes it with `public_text` for the public page.
    pub async fn close_task(&self, team: &Client, id: &str, public_text: &str) {
        let unit = self.login("qingshi").await;
        let admin = self.login("admin").await;
        assert_eq!(
            self.report(&unit, id, "已整改").await.status(),
            StatusCode::OK
        );
        let r = unit
            .put(self.url(&format!("/api/tasks/{id}/files/ph-{id}")))
            .header("content-type", "image/jpeg")
            .body(b"\xff\xd8\xff\xe0 evidence".to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let moves = [
            (&unit, json!({ "to": "submitted" })),
            (team, json!({ "to": "accepted" })),
            (
                &admin,
                json!({ "to": "closed", "public_text": public_text }),
            ),
        ];
        for (who, body) in moves {
            let r = who
                .post(self.url(&format!("/api/tasks/{id}/move")))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{body}");
        }
    }

    /// Moves a round phase by phase up to `to`, as the office does.
    pub async fn advance_round(&self, admin: &Client, round_id: &str, to: Phase) {
        let round: Round = self
            .get_json(admin, &format!("/api/rounds/{round_id}"))
            .await;
        let mut at = round.phase;
        while at < to {
            let next = at.next().expect("a later phase");
            let r = admin
                .post(self.url(&format!("/api/rounds/{round_id}/phase")))
                .json(&json!({ "to": next }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "to {next:?}");
            at = next;
        }
    }

    /// A term for 青岚县, a 2026 round, a team led by `leader` with `members`, and 青石村 as its
    /// target; returns the target's id.
    pub async fn round_with_target(
        &self,
        admin: &Client,
        leader: &str,
        members: &[&str],
    ) -> String {
        testkit::fixtures::Office::with(admin.clone(), &self.base)
            .round_with_target_as(&testkit::fixtures::RoundSetup {
                term: "届",
                round: "2026年第一轮",
                team: "第一巡察组",
                leader,
                members,
                stationed: None,
            })
            .await
    }
}

impl TestApp {
    /// Asserts that none of `who` finds any of `secrets` in what it can GET: every route of the
    /// OpenAPI document with every id there is (the target, its organisation, round and term,
    /// and `extra`) in every parameter, and the public disclosure page.
    pub async fn nothing_shows(
        &self,
        admin: &Client,
        who: &[(&str, &Client)],
        target: &str,
        extra: &[String],
        secrets: &[&str],
    ) {
        let doc: serde_json::Value = self.get_json(admin, "/api/openapi.json").await;
        let office = testkit::fixtures::Office::with(admin.clone(), &self.base);
        let rounds: serde_json::Value = office.get("/api/rounds").await;
        let mut ids = vec![
            target.to_string(),
            office.org_id("青石村").await,
            rounds[0]["id"].as_str().unwrap().to_string(),
            rounds[0]["term_id"].as_str().unwrap().to_string(),
        ];
        ids.extend_from_slice(extra);
        let mut paths: Vec<String> = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, item)| item.get("get").is_some())
            .map(|(p, _)| p.clone())
            .collect();
        paths.push("/gongkai/{id}".into());
        paths.push("/xinfang/{id}".into());
        let mut asked = 0;
        for path in &paths {
            for id in &ids {
                let url = fill(path, id);
                for (name, client) in who {
                    let r = client.get(self.url(&url)).send().await.unwrap();
                    let body = r.text().await.unwrap();
                    asked += 1;
                    for secret in secrets {
                        assert!(!body.contains(secret), "{name} GET {url} shows {secret}");
                    }
                }
            }
        }
        assert!(asked > 100, "{asked} requests");
    }
}

/// The path with every `{parameter}` set to `id`.
fn fill(path: &str, id: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .map(|c| open + c + 1)
            .unwrap_or(rest.len());
        out.push_str(id);
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// A 422 that names `field` and says `problem`.
pub async fn assert_invalid(r: reqwest::Response, field: &str, problem: xuncha_api::Problem) {
    assert_refused(r, StatusCode::UNPROCESSABLE_ENTITY, field, problem).await;
}

/// Refused with `status`, naming the field at fault and why.
pub async fn assert_refused(
    r: reqwest::Response,
    status: StatusCode,
    field: &str,
    problem: xuncha_api::Problem,
) {
    let e = error(r, status).await;
    assert_eq!(
        (e.field.as_deref(), e.problem.clone()),
        (Some(field), Some(problem)),
        "{e:?}"
    );
}

pub async fn error(r: reqwest::Response, status: StatusCode) -> ApiError {
    assert_eq!(r.status(), status);
    r.json().await.expect("error body is the API's format")
}
