//! What a test starts from, made through the API as the office would: one set for the HTTP
//! tests and the browser tests alike.

use serde_json::{json, Value};

/// The office's side through the API, signed in as a demo account.
pub struct Office {
    pub client: reqwest::Client,
    pub base: String,
}

/// A round to set up: its name, one team (leader and members by user name) and 青石村 as its
/// target.
pub struct RoundSetup<'a> {
    pub term: &'a str,
    pub round: &'a str,
    pub team: &'a str,
    pub leader: &'a str,
    pub members: &'a [&'a str],
    /// The target's stationing period (进驻), first and last day.
    pub stationed: Option<(&'a str, &'a str)>,
}

impl Default for RoundSetup<'_> {
    fn default() -> Self {
        RoundSetup {
            term: "2022—2026年届",
            round: "2026年第一轮巡察",
            team: "第一巡察组",
            leader: "zhangwei",
            members: &[],
            stationed: None,
        }
    }
}

impl Office {
    pub async fn sign_in(base: &str) -> Office {
        Office::sign_in_as(base, "admin").await
    }

    pub async fn sign_in_as(base: &str, username: &str) -> Office {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("a client");
        let r = client
            .post(format!("{base}/api/auth/login"))
            .json(&json!({ "username": username, "password": crate::demo::PASSWORD }))
            .send()
            .await
            .expect("the server answers");
        assert!(r.status().is_success(), "{username} signs in");
        Office::with(client, base)
    }

    /// An already signed-in client.
    pub fn with(client: reqwest::Client, base: &str) -> Office {
        Office {
            client,
            base: base.to_string(),
        }
    }

    pub async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("the server answers")
            .json()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    pub async fn put(&self, path: &str, body: Value) -> Value {
        let r = self
            .client
            .put(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .expect("the server answers");
        assert!(r.status().is_success(), "PUT {path}: {}", r.status());
        r.json().await.expect("a JSON answer")
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .expect("the server answers");
        assert!(r.status().is_success(), "POST {path}: {}", r.status());
        r.json().await.expect("a JSON answer")
    }

    pub async fn org_id(&self, name: &str) -> String {
        let orgs: Vec<xuncha_api::orgs::OrgSummary> = self.get("/api/orgs").await;
        orgs.into_iter()
            .find(|o| o.name == name)
            .unwrap_or_else(|| panic!("{name} exists"))
            .id
    }

    pub async fn user_id(&self, username: &str) -> String {
        let users: Vec<xuncha_api::users::UserView> = self.get("/api/users").await;
        users
            .into_iter()
            .find(|u| u.username == username)
            .unwrap_or_else(|| panic!("{username} exists"))
            .id
    }

    /// A 2022–2026 term for 青岚县 named `name`.
    pub async fn term_named(&self, name: &str) -> String {
        let county = self.org_id("青岚县").await;
        let term = self
            .post(
                "/api/terms",
                json!({ "committee_org_id": county, "name": name, "start_date": "2022-01-01", "end_date": "2026-12-31" }),
            )
            .await;
        term["id"].as_str().expect("an id").to_string()
    }

    /// The 2022–2026 term for 青岚县.
    pub async fn term(&self) -> String {
        self.term_named(RoundSetup::default().term).await
    }

    /// A term, a round of March–April 2026, its team and 青石村 as its target; the target's id.
    pub async fn round_with_target_as(&self, setup: &RoundSetup<'_>) -> String {
        let term = self.term_named(setup.term).await;
        let round = self
            .post(
                "/api/rounds",
                json!({ "term_id": term, "name": setup.round, "kind": "regular", "start_date": "2026-03-01", "end_date": "2026-05-01" }),
            )
            .await;
        let rid = round["id"].as_str().expect("an id").to_string();
        let leader = self.user_id(setup.leader).await;
        let mut members = Vec::new();
        for m in setup.members {
            members.push(self.user_id(m).await);
        }
        let team = self
            .post(
                &format!("/api/rounds/{rid}/teams"),
                json!({ "name": setup.team, "leader_id": leader, "member_ids": members }),
            )
            .await;
        let village = self.org_id("青石村").await;
        let targets = self
            .post(
                &format!("/api/rounds/{rid}/targets"),
                json!({ "team_id": team["id"], "org_ids": [village],
                        "station_start": setup.stationed.map(|s| s.0),
                        "station_end": setup.stationed.map(|s| s.1) }),
            )
            .await;
        targets[0]["id"].as_str().expect("an id").to_string()
    }

    /// The same with the round 2026年第一轮巡察 and a team named `team` led by `leader`.
    pub async fn round_with_target(&self, team: &str, leader: &str) -> String {
        self.round_with_target_as(&RoundSetup {
            team,
            leader,
            ..RoundSetup::default()
        })
        .await
    }
}
