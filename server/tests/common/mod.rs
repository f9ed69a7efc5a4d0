//! What the HTTP tests share: a real server on 127.0.0.1:0 over a fresh database each, and
//! typed helpers. The database is SQLite, or PostgreSQL when XUNCHA_TEST_POSTGRES is set.

#![allow(dead_code)]

use reqwest::{Client, StatusCode};
use serde_json::json;
use xuncha_api::audit::AuditPage;
use xuncha_api::orgs::OrgSummary;
use xuncha_api::ApiError;
use xuncha_server::config::Config;
use xuncha_server::demo::PASSWORD;
use xuncha_server::testkit;

pub struct TestApp {
    pub base: String,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let (base, _) = testkit::spawn(adjust).await.expect("server starts");
        TestApp { base }
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

    pub async fn login(&self, username: &str) -> Client {
        let (c, r) = self.try_login(username, PASSWORD).await;
        assert_eq!(r.status(), StatusCode::OK, "{username} signs in");
        c
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

pub async fn error(r: reqwest::Response, status: StatusCode) -> ApiError {
    assert_eq!(r.status(), status);
    r.json().await.expect("error body is the API's format")
}
