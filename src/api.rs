//! The one typed client of the REST API. Components call methods here; none builds a URL.

use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use xuncha_api::audit::{AuditCheck, AuditPage, AuditQuery, ReadEntry};
use xuncha_api::auth::{ChangePassword, LoginRequest, SessionInfo};
use xuncha_api::checklists::{
    Change, ChangesResult, OpenRecord, Record, ReturnRecord, Template, UpdateTemplate,
};
use xuncha_api::clues::{Clue, ClueDraft, ClueStatus, Handling, MoveClue, NewReferral, Referral};
use xuncha_api::coverage::{Ledger, LedgerQuery};
use xuncha_api::evaluations::{
    CreatedEvaluation, Evaluation, NewEvaluation, PaperBallots, Results, SlipCodes,
};
use xuncha_api::findings::{Finding, NewFinding};
use xuncha_api::orgs::{
    CreateOrg, ImportReport, OrgDetail, OrgNode, OrgPatch, OrgSearchPage, OrgSummary,
};
use xuncha_api::petitions::{NoticeDraft, Petition, PetitionDraft, StationingNotice, Triage};
use xuncha_api::rectification::{
    EarlierFinding, MoveTask, NewProgress, NewTask, Reminders, Task, TaskDetail, TaskLedger,
};
use xuncha_api::rounds::{
    AssignTargets, ChangePhase, CreateRound, CreateTeam, CreateTerm, Round, Target, TargetDetail,
    Team, Term, UnitInspection,
};
use xuncha_api::stationing::{
    PolicyDefault, PolicyDefaultDraft, PrepDraft, PrepItem, Stationing, Visit, VisitDraft,
};
use xuncha_api::statistics::{
    CommonProblems, ConfirmProblem, ConfirmedProblem, Statistics, StatisticsQuery,
};
use xuncha_api::talks::{Talk, TalkDraft, TalkInspector};
use xuncha_api::users::{CreateUser, ResetPassword, UpdateUser, UserView};
use xuncha_api::{ApiError, ErrorCode, FieldError, Lang};

/// The client's one error type.
#[derive(Debug, Clone, PartialEq)]
pub enum AppError {
    /// The server answered with its error body.
    Api(ApiError),
    /// Checked here before sending, with the same rules the server applies.
    Invalid(FieldError),
    /// No answer: offline or the server is down.
    Network,
    /// An answer that could not be read.
    Unexpected(String),
    /// The phone's own store failed (full, cleared, refused by the browser).
    Storage(String),
}

impl AppError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::Api(e) => e.message_in(lang),
            AppError::Invalid(e) => e.problem.message(lang),
            AppError::Network => lang
                .pick(
                    "网络不可用，请检查网络后重试",
                    "No connection; check the network and try again",
                )
                .to_string(),
            AppError::Unexpected(_) => ErrorCode::Internal.message(lang).to_string(),
            AppError::Storage(detail) => format!(
                "{}{detail}",
                lang.pick("未能保存在本机：", "Could not keep it on this phone: ")
            ),
        }
    }

    /// The field at fault, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Api(e) => e.field.as_deref(),
            AppError::Invalid(e) => Some(&e.field),
            _ => None,
        }
    }

    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            AppError::Api(e) => Some(e.code),
            _ => None,
        }
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Invalid(e)
    }
}

pub type ApiResult<T> = Result<T, AppError>;

/// Holds the language for server messages, the session, and whether the server stopped
/// accepting it (a 401): then the app keeps what it has and asks to sign in again.
#[derive(Clone, Copy)]
pub struct Api {
    pub lang: RwSignal<Lang>,
    pub session: RwSignal<Option<SessionInfo>>,
    pub auth_lost: RwSignal<bool>,
}

const SESSION_KEY: &str = "xuncha.session";

const ORG_EXPORT: &str = "/api/orgs/export.xlsx";

impl Api {
    pub fn new(lang: RwSignal<Lang>, session: RwSignal<Option<SessionInfo>>) -> Api {
        Api {
            lang,
            session,
            auth_lost: RwSignal::new(false),
        }
    }

    /// Who was signed in on this device, for working offline.
    pub fn cached_session() -> Option<SessionInfo> {
        let storage = window().local_storage().ok().flatten()?;
        serde_json::from_str(&storage.get_item(SESSION_KEY).ok().flatten()?).ok()
    }

    fn cache_session(info: Option<&SessionInfo>) {
        if let Some(storage) = window().local_storage().ok().flatten() {
            let _ = match info.and_then(|i| serde_json::to_string(i).ok()) {
                Some(json) => storage.set_item(SESSION_KEY, &json),
                None => storage.remove_item(SESSION_KEY),
            };
        }
    }

    fn with_lang(&self, b: RequestBuilder) -> RequestBuilder {
        b.header("Accept-Language", self.lang.get_untracked().code())
    }

    async fn read<T: DeserializeOwned>(
        &self,
        sent: Result<Response, gloo_net::Error>,
    ) -> ApiResult<T> {
        let response = sent.map_err(|_| AppError::Network)?;
        if response.ok() {
            return response
                .json::<T>()
                .await
                .map_err(|e| AppError::Unexpected(e.to_string()));
        }
        let error = match response.json::<ApiError>().await {
            Ok(body) => body,
            // A body that is not ours (a proxy, a size limit): the status still tells a
            // refusal from a failure.
            Err(_) => ApiError::new(
                match response.status() {
                    401 => ErrorCode::Unauthenticated,
                    413 => ErrorCode::PayloadTooLarge,
                    429 => ErrorCode::Throttled,
                    404 => ErrorCode::NotFound,
                    400..=499 => ErrorCode::BadRequest,
                    _ => ErrorCode::Internal,
                },
                self.lang.get_untracked(),
            ),
        };
        // The session ended on the server (expired, signed out elsewhere, disabled).
        if error.code == ErrorCode::Unauthenticated && error.field.is_none() {
            self.auth_lost.set(true);
        }
        Err(AppError::Api(error))
    }

    async fn empty(&self, sent: Result<Response, gloo_net::Error>) -> ApiResult<()> {
        let response = sent.map_err(|_| AppError::Network)?;
        if response.ok() {
            Ok(())
        } else {
            self.read::<()>(Ok(response)).await
        }
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> ApiResult<T> {
        let sent = self.with_lang(Request::get(path)).send().await;
        self.read(sent).await
    }

    async fn send_json<B: Serialize, T: DeserializeOwned>(
        &self,
        b: RequestBuilder,
        body: &B,
    ) -> ApiResult<T> {
        let request = self
            .with_lang(b)
            .json(body)
            .map_err(|e| AppError::Unexpected(e.to_string()))?;
        self.read(request.send().await).await
    }

    // ---- auth ----

    pub async fn login(&self, req: &LoginRequest) -> ApiResult<SessionInfo> {
        req.validate()?;
        let info: SessionInfo = self
            .send_json(Request::post("/api/auth/login"), req)
            .await?;
        Api::cache_session(Some(&info));
        self.auth_lost.set(false);
        self.session.set(Some(info.clone()));
        Ok(info)
    }

    pub async fn logout(&self) -> ApiResult<()> {
        let sent = self
            .with_lang(Request::post("/api/auth/logout"))
            .send()
            .await;
        let result = self.empty(sent).await;
        Api::cache_session(None);
        self.session.set(None);
        result
    }

    pub async fn me(&self) -> ApiResult<SessionInfo> {
        let info: SessionInfo = self.get("/api/auth/me").await?;
        Api::cache_session(Some(&info));
        Ok(info)
    }

    pub async fn change_password(&self, req: &ChangePassword) -> ApiResult<()> {
        req.validate()?;
        let request = self
            .with_lang(Request::post("/api/auth/password"))
            .json(req)
            .map_err(|e| AppError::Unexpected(e.to_string()))?;
        self.empty(request.send().await).await
    }

    // ---- users ----

    pub async fn list_users(&self) -> ApiResult<Vec<UserView>> {
        self.get("/api/users").await
    }

    pub async fn create_user(&self, req: &CreateUser) -> ApiResult<UserView> {
        req.validate()?;
        self.send_json(Request::post("/api/users"), req).await
    }

    pub async fn update_user(&self, id: &str, req: &UpdateUser) -> ApiResult<UserView> {
        req.validate()?;
        self.send_json(Request::patch(&format!("/api/users/{id}")), req)
            .await
    }

    pub async fn reset_password(&self, id: &str, req: &ResetPassword) -> ApiResult<()> {
        req.validate()?;
        let request = self
            .with_lang(Request::post(&format!("/api/users/{id}/password")))
            .json(req)
            .map_err(|e| AppError::Unexpected(e.to_string()))?;
        self.empty(request.send().await).await
    }

    // ---- organisations ----

    pub async fn list_orgs(&self) -> ApiResult<Vec<OrgSummary>> {
        self.get("/api/orgs").await
    }

    pub async fn org(&self, id: &str) -> ApiResult<OrgDetail> {
        self.get(&format!("/api/orgs/{id}")).await
    }

    /// One level of the tree: the children of `parent`, or the caller's top level.
    pub async fn org_children(&self, parent: Option<&str>) -> ApiResult<Vec<OrgNode>> {
        match parent {
            Some(p) => {
                let p = js_sys::encode_uri_component(p);
                self.get(&format!("/api/orgs/children?parent={p}")).await
            }
            None => self.get("/api/orgs/children").await,
        }
    }

    /// An organisation and everything under it (a county's tree) in one request.
    pub async fn org_subtree(&self, id: &str) -> ApiResult<Vec<OrgNode>> {
        self.get(&format!("/api/orgs/{id}/subtree")).await
    }

    /// Organisations by name, pinyin initials or code; `after` is the page before's `next`.
    pub async fn search_orgs(&self, q: &str, after: Option<&str>) -> ApiResult<OrgSearchPage> {
        let mut path = format!("/api/orgs/search?q={}", js_sys::encode_uri_component(q));
        if let Some(a) = after {
            path.push_str(&format!("&after={}", js_sys::encode_uri_component(a)));
        }
        self.get(&path).await
    }

    pub async fn create_org(&self, req: &CreateOrg) -> ApiResult<OrgDetail> {
        req.validate()?;
        self.send_json(Request::post("/api/orgs"), req).await
    }

    pub async fn patch_org(&self, id: &str, patch: &OrgPatch) -> ApiResult<OrgDetail> {
        patch.validate()?;
        self.send_json(Request::patch(&format!("/api/orgs/{id}")), patch)
            .await
    }

    /// Sends a spreadsheet as it is; the server tells xlsx from csv.
    pub async fn import_orgs(&self, file: &web_sys::File) -> ApiResult<ImportReport> {
        let request = self
            .with_lang(Request::post("/api/orgs/import"))
            .header("Content-Type", "application/octet-stream")
            .body(wasm_bindgen::JsValue::from(file.clone()))
            .map_err(|e| AppError::Unexpected(e.to_string()))?;
        self.read(request.send().await).await
    }

    /// Where the browser downloads the tree as .xlsx (the session cookie goes along).
    pub fn org_export_href(&self) -> &'static str {
        ORG_EXPORT
    }

    // ---- terms, rounds, teams, targets, ledger ----

    pub async fn terms(&self) -> ApiResult<Vec<Term>> {
        self.get("/api/terms").await
    }

    pub async fn create_term(&self, req: &CreateTerm) -> ApiResult<Term> {
        req.validate()?;
        self.send_json(Request::post("/api/terms"), req).await
    }

    pub async fn ledger(&self, term_id: &str, q: &LedgerQuery) -> ApiResult<Ledger> {
        let mut pairs = Vec::new();
        if let Some(s) = q.status {
            pairs.push(format!("status={}", s.as_str()));
        }
        if let Some(l) = q.level {
            pairs.push(format!("level={}", l.as_str()));
        }
        if let Some(t) = q.township_id.as_ref().filter(|t| !t.is_empty()) {
            pairs.push(format!("township_id={}", js_sys::encode_uri_component(t)));
        }
        self.get(&format!("/api/terms/{term_id}/ledger?{}", pairs.join("&")))
            .await
    }

    pub fn ledger_export_href(&self, term_id: &str) -> String {
        format!("/api/terms/{term_id}/ledger.xlsx")
    }

    /// 统计分析 of a term, as far as the user reaches.
    pub async fn statistics(&self, term_id: &str, q: &StatisticsQuery) -> ApiResult<Statistics> {
        q.validate()?;
        self.get(&format!("/api/terms/{term_id}/statistics?{}", q.to_query()))
            .await
    }

    /// Findings alike across villages (共性问题) under the same filters.
    pub async fn common_problems(
        &self,
        term_id: &str,
        q: &StatisticsQuery,
        threshold: f64,
    ) -> ApiResult<CommonProblems> {
        q.validate()?;
        let filters = q.to_query();
        let sep = if filters.is_empty() { "" } else { "&" };
        self.get(&format!(
            "/api/terms/{term_id}/common-problems?{filters}{sep}threshold={threshold}"
        ))
        .await
    }

    /// The same figures as a workbook.
    pub async fn confirm_problem(
        &self,
        term_id: &str,
        id: &str,
        req: &ConfirmProblem,
    ) -> ApiResult<ConfirmedProblem> {
        req.validate()?;
        self.send_json(
            Request::put(&format!("/api/terms/{term_id}/common-problems/{id}")),
            req,
        )
        .await
    }

    pub async fn confirmed_problems(&self, term_id: &str) -> ApiResult<Vec<ConfirmedProblem>> {
        self.get(&format!("/api/terms/{term_id}/confirmed-problems"))
            .await
    }

    pub fn problem_notice_href(&self, id: &str) -> String {
        format!("/api/common-problems/{id}/notice.docx")
    }

    pub fn statistics_export_href(&self, term_id: &str, q: &StatisticsQuery) -> String {
        format!("/api/terms/{term_id}/statistics.xlsx?{}", q.to_query())
    }

    pub async fn rounds(&self) -> ApiResult<Vec<Round>> {
        self.get("/api/rounds").await
    }

    pub async fn round(&self, id: &str) -> ApiResult<Round> {
        self.get(&format!("/api/rounds/{id}")).await
    }

    pub async fn create_round(&self, req: &CreateRound) -> ApiResult<Round> {
        req.validate()?;
        self.send_json(Request::post("/api/rounds"), req).await
    }

    pub async fn change_phase(&self, id: &str, req: &ChangePhase) -> ApiResult<Round> {
        self.send_json(Request::post(&format!("/api/rounds/{id}/phase")), req)
            .await
    }

    pub async fn teams(&self, round_id: &str) -> ApiResult<Vec<Team>> {
        self.get(&format!("/api/rounds/{round_id}/teams")).await
    }

    pub async fn create_team(&self, round_id: &str, req: &CreateTeam) -> ApiResult<Team> {
        req.validate()?;
        self.send_json(Request::post(&format!("/api/rounds/{round_id}/teams")), req)
            .await
    }

    pub async fn target(&self, id: &str) -> ApiResult<TargetDetail> {
        self.get(&format!("/api/targets/{id}")).await
    }

    pub async fn targets(&self, round_id: &str) -> ApiResult<Vec<Target>> {
        self.get(&format!("/api/rounds/{round_id}/targets")).await
    }

    pub async fn assign_targets(
        &self,
        round_id: &str,
        req: &AssignTargets,
    ) -> ApiResult<Vec<Target>> {
        req.validate()?;
        self.send_json(
            Request::post(&format!("/api/rounds/{round_id}/targets")),
            req,
        )
        .await
    }

    pub fn targets_export_href(&self, round_id: &str) -> String {
        format!("/api/rounds/{round_id}/targets.xlsx")
    }

    pub async fn my_inspections(&self) -> ApiResult<Vec<UnitInspection>> {
        self.get("/api/my/inspections").await
    }

    // ---- checklists ----

    pub async fn open_record(&self, req: &OpenRecord) -> ApiResult<Record> {
        self.send_json(Request::post("/api/checklists/records"), req)
            .await
    }

    pub async fn record(&self, id: &str) -> ApiResult<Record> {
        self.get(&format!("/api/checklists/records/{id}")).await
    }

    pub async fn template(&self, id: &str) -> ApiResult<Template> {
        self.get(&format!("/api/checklists/templates/{id}")).await
    }

    pub async fn templates(&self) -> ApiResult<Vec<Template>> {
        self.get("/api/checklists/templates").await
    }

    pub async fn copy_template(&self, id: &str) -> ApiResult<Template> {
        let sent = self
            .with_lang(Request::post(&format!(
                "/api/checklists/templates/{id}/copy"
            )))
            .send()
            .await;
        self.read(sent).await
    }

    pub async fn update_template(&self, id: &str, req: &UpdateTemplate) -> ApiResult<Template> {
        req.content.validate()?;
        self.send_json(
            Request::put(&format!("/api/checklists/templates/{id}")),
            req,
        )
        .await
    }

    pub async fn publish_template(&self, id: &str) -> ApiResult<Template> {
        let sent = self
            .with_lang(Request::post(&format!(
                "/api/checklists/templates/{id}/publish"
            )))
            .send()
            .await;
        self.read(sent).await
    }

    pub async fn send_changes(
        &self,
        record_id: &str,
        changes: &[Change],
    ) -> ApiResult<ChangesResult> {
        self.send_json(
            Request::post(&format!("/api/checklists/records/{record_id}/changes")),
            &changes,
        )
        .await
    }

    pub async fn submit_record(&self, id: &str) -> ApiResult<Record> {
        let sent = self
            .with_lang(Request::post(&format!(
                "/api/checklists/records/{id}/submit"
            )))
            .send()
            .await;
        self.read(sent).await
    }

    pub async fn return_record(&self, id: &str, req: &ReturnRecord) -> ApiResult<Record> {
        self.send_json(
            Request::post(&format!("/api/checklists/records/{id}/return")),
            req,
        )
        .await
    }

    /// Sends one photo or file; its id comes from the device, so a re-send stores it once.
    pub async fn put_evidence(
        &self,
        record_id: &str,
        evidence_id: &str,
        item_id: &str,
        content_type: &str,
        blob: &web_sys::Blob,
    ) -> ApiResult<String> {
        let url = format!(
            "/api/checklists/records/{record_id}/evidence/{evidence_id}?item_id={}",
            js_sys::encode_uri_component(item_id)
        );
        self.put_file(&url, content_type, blob).await
    }

    /// PUTs a photo or file as it is; the server answers with its SHA-256.
    async fn put_file(
        &self,
        url: &str,
        content_type: &str,
        blob: &web_sys::Blob,
    ) -> ApiResult<String> {
        let request = self
            .with_lang(Request::put(url))
            .header("Content-Type", content_type)
            .body(wasm_bindgen::JsValue::from(blob.clone()))
            .map_err(|e| AppError::Unexpected(e.to_string()))?;
        self.read(request.send().await).await
    }

    pub fn evidence_href(&self, record_id: &str, evidence_id: &str) -> String {
        format!("/api/checklists/records/{record_id}/evidence/{evidence_id}")
    }

    pub async fn remove_evidence(&self, record_id: &str, evidence_id: &str) -> ApiResult<()> {
        let sent = self
            .with_lang(Request::delete(&self.evidence_href(record_id, evidence_id)))
            .send()
            .await;
        self.empty(sent).await
    }

    pub async fn findings(&self, target_id: &str) -> ApiResult<Vec<Finding>> {
        self.get(&format!("/api/targets/{target_id}/findings"))
            .await
    }

    pub async fn record_finding(
        &self,
        target_id: &str,
        id: &str,
        req: &NewFinding,
    ) -> ApiResult<Finding> {
        req.validate()?;
        self.send_json(
            Request::put(&format!("/api/targets/{target_id}/findings/{id}")),
            req,
        )
        .await
    }

    // ---- rectification ----

    pub async fn target_tasks(&self, target_id: &str) -> ApiResult<Vec<Task>> {
        self.get(&format!("/api/targets/{target_id}/tasks")).await
    }

    /// All or none; a refused row comes back in the error's `rows`.
    pub async fn create_tasks(&self, target_id: &str, tasks: &[NewTask]) -> ApiResult<Vec<Task>> {
        self.send_json(
            Request::post(&format!("/api/targets/{target_id}/tasks")),
            &tasks,
        )
        .await
    }

    pub async fn earlier_findings(&self, target_id: &str) -> ApiResult<Vec<EarlierFinding>> {
        self.get(&format!("/api/targets/{target_id}/earlier-findings"))
            .await
    }

    pub async fn my_tasks(&self) -> ApiResult<Vec<Task>> {
        self.get("/api/my/tasks").await
    }

    pub async fn task(&self, id: &str) -> ApiResult<TaskDetail> {
        self.get(&format!("/api/tasks/{id}")).await
    }

    pub async fn move_task(&self, id: &str, req: &MoveTask) -> ApiResult<Task> {
        self.send_json(Request::post(&format!("/api/tasks/{id}/move")), req)
            .await
    }

    pub async fn add_progress(&self, task_id: &str, req: &NewProgress) -> ApiResult<TaskDetail> {
        self.send_json(
            Request::post(&format!("/api/tasks/{task_id}/progress")),
            req,
        )
        .await
    }

    /// Sends one photo or file of a task; a re-send with the same id stores it once.
    pub async fn put_task_file(
        &self,
        task_id: &str,
        file_id: &str,
        content_type: &str,
        blob: &web_sys::Blob,
    ) -> ApiResult<String> {
        self.put_file(
            &format!("/api/tasks/{task_id}/files/{file_id}"),
            content_type,
            blob,
        )
        .await
    }

    pub fn task_file_href(&self, task_id: &str, file_id: &str) -> String {
        format!("/api/tasks/{task_id}/files/{file_id}")
    }

    pub async fn reminders(&self) -> ApiResult<Reminders> {
        self.get("/api/reminders").await
    }

    /// The 整改台账 of a round (`"rounds"`) or a term (`"terms"`).
    pub async fn task_ledger(&self, scope: &str, id: &str) -> ApiResult<TaskLedger> {
        self.get(&format!("/api/{scope}/{id}/rectification")).await
    }

    pub fn task_ledger_export_href(&self, scope: &str, id: &str) -> String {
        format!("/api/{scope}/{id}/rectification.xlsx")
    }

    /// The public disclosure page of an organisation, open to anyone.
    pub fn public_page_href(&self, org_id: &str) -> String {
        format!("/gongkai/{org_id}")
    }

    // ---- audit ----

    pub async fn audit(&self, q: &AuditQuery) -> ApiResult<AuditPage> {
        let query = serde_urlencoded_pairs(q);
        self.get(&format!("/api/audit?{query}")).await
    }

    /// Walks the audit chain, checking a checkpoint written down earlier if one is given.
    pub async fn audit_verify(&self, checkpoint: &str) -> ApiResult<AuditCheck> {
        let query = if checkpoint.trim().is_empty() {
            String::new()
        } else {
            format!(
                "?checkpoint={}",
                js_sys::encode_uri_component(checkpoint.trim())
            )
        };
        self.get(&format!("/api/audit/verify{query}")).await
    }

    // ---- talks and clues: every read of them is logged on the server ----

    pub async fn talks(&self, target_id: &str) -> ApiResult<Vec<Talk>> {
        self.get(&format!("/api/targets/{target_id}/talks")).await
    }

    pub async fn put_talk(&self, target_id: &str, id: &str, draft: &TalkDraft) -> ApiResult<Talk> {
        draft.validate()?;
        self.send_json(
            Request::put(&format!("/api/targets/{target_id}/talks/{id}")),
            draft,
        )
        .await
    }

    pub async fn talk_inspectors(&self, target_id: &str) -> ApiResult<Vec<TalkInspector>> {
        self.get(&format!("/api/targets/{target_id}/inspectors"))
            .await
    }

    /// A file kept with a talk (`kind` "talks") or a clue ("clues"), under the device's id.
    pub async fn put_attached(
        &self,
        kind: &str,
        owner_id: &str,
        file_id: &str,
        content_type: &str,
        blob: &web_sys::Blob,
    ) -> ApiResult<String> {
        self.put_file(
            &self.attached_href(kind, owner_id, file_id),
            content_type,
            blob,
        )
        .await
    }

    /// Opening it is a logged read on the server.
    pub fn attached_href(&self, kind: &str, owner_id: &str, file_id: &str) -> String {
        format!("/api/{kind}/{owner_id}/files/{file_id}")
    }

    pub async fn talk(&self, id: &str) -> ApiResult<Talk> {
        self.get(&format!("/api/talks/{id}")).await
    }

    /// Who read a restricted record: `kind` is `talks`, `clues` or `petitions`.
    pub async fn reads(&self, kind: &str, id: &str) -> ApiResult<Vec<ReadEntry>> {
        self.get(&format!("/api/{kind}/{id}/reads")).await
    }

    pub async fn clues(&self, target_id: &str) -> ApiResult<Vec<Clue>> {
        self.get(&format!("/api/targets/{target_id}/clues")).await
    }

    pub async fn clues_in(&self, status: ClueStatus) -> ApiResult<Vec<Clue>> {
        self.get(&format!("/api/clues?status={}", status.as_str()))
            .await
    }

    /// A target's lists, visits and figures, which the inspector's phone keeps for the week.
    pub async fn stationing(&self, target_id: &str) -> ApiResult<Stationing> {
        self.get(&format!("/api/targets/{target_id}/stationing"))
            .await
    }

    pub async fn put_prep_item(
        &self,
        target_id: &str,
        id: &str,
        draft: &PrepDraft,
    ) -> ApiResult<PrepItem> {
        draft.validate()?;
        self.send_json(
            Request::put(&format!("/api/targets/{target_id}/prep/{id}")),
            draft,
        )
        .await
    }

    pub async fn remove_prep_item(&self, target_id: &str, id: &str) -> ApiResult<()> {
        let sent = self
            .with_lang(Request::delete(&format!(
                "/api/targets/{target_id}/prep/{id}"
            )))
            .send()
            .await;
        self.empty(sent).await
    }

    /// The county's default policy list, which the office keeps.
    pub async fn policy_defaults(&self) -> ApiResult<Vec<PolicyDefault>> {
        self.get("/api/policy-defaults").await
    }

    pub async fn put_policy_default(
        &self,
        id: &str,
        draft: &PolicyDefaultDraft,
    ) -> ApiResult<PolicyDefault> {
        draft.validate()?;
        self.send_json(Request::put(&format!("/api/policy-defaults/{id}")), draft)
            .await
    }

    /// Copies the county's default policies into the target's list (each once).
    pub async fn copy_policy_defaults(&self, target_id: &str) -> ApiResult<Vec<PrepItem>> {
        let sent = self
            .with_lang(Request::post(&format!(
                "/api/targets/{target_id}/prep/copy-defaults"
            )))
            .send()
            .await;
        self.read(sent).await
    }

    pub async fn put_visit(
        &self,
        target_id: &str,
        id: &str,
        draft: &VisitDraft,
    ) -> ApiResult<Visit> {
        draft.validate()?;
        self.send_json(
            Request::put(&format!("/api/targets/{target_id}/visits/{id}")),
            draft,
        )
        .await
    }

    pub async fn remove_visit(&self, target_id: &str, id: &str) -> ApiResult<()> {
        let sent = self
            .with_lang(Request::delete(&format!(
                "/api/targets/{target_id}/visits/{id}"
            )))
            .send()
            .await;
        self.empty(sent).await
    }

    pub async fn put_clue(&self, target_id: &str, id: &str, draft: &ClueDraft) -> ApiResult<Clue> {
        draft.validate()?;
        self.send_json(
            Request::put(&format!("/api/targets/{target_id}/clues/{id}")),
            draft,
        )
        .await
    }

    pub async fn clue(&self, id: &str) -> ApiResult<Clue> {
        self.get(&format!("/api/clues/{id}")).await
    }

    pub async fn move_clue(&self, id: &str, req: &MoveClue) -> ApiResult<Clue> {
        self.send_json(Request::post(&format!("/api/clues/{id}/moves")), req)
            .await
    }

    pub async fn handle_clue(&self, id: &str, req: &Handling) -> ApiResult<Clue> {
        req.validate()?;
        self.send_json(Request::post(&format!("/api/clues/{id}/handling")), req)
            .await
    }

    // ---- petitions ----

    pub async fn petitions(&self, target_id: &str) -> ApiResult<Vec<Petition>> {
        self.get(&format!("/api/targets/{target_id}/petitions"))
            .await
    }

    pub async fn put_petition(
        &self,
        target_id: &str,
        id: &str,
        draft: &PetitionDraft,
    ) -> ApiResult<Petition> {
        draft.validate()?;
        self.send_json(
            Request::put(&format!("/api/targets/{target_id}/petitions/{id}")),
            draft,
        )
        .await
    }

    pub async fn petition(&self, id: &str) -> ApiResult<Petition> {
        self.get(&format!("/api/petitions/{id}")).await
    }

    pub async fn triage_petition(&self, id: &str, t: &Triage) -> ApiResult<Petition> {
        t.validate()?;
        self.send_json(Request::put(&format!("/api/petitions/{id}/triage")), t)
            .await
    }

    pub async fn notice(&self, target_id: &str) -> ApiResult<StationingNotice> {
        self.get(&format!("/api/targets/{target_id}/notice")).await
    }

    pub async fn put_notice(
        &self,
        target_id: &str,
        draft: &NoticeDraft,
    ) -> ApiResult<StationingNotice> {
        draft.validate()?;
        self.send_json(
            Request::put(&format!("/api/targets/{target_id}/notice")),
            draft,
        )
        .await
    }

    pub fn notice_print_href(&self, target_id: &str) -> String {
        format!("/api/targets/{target_id}/notice/print")
    }

    pub fn village_report_href(&self, target_id: &str) -> String {
        format!("/api/targets/{target_id}/report.docx")
    }

    pub fn notice_docx_href(&self, target_id: &str) -> String {
        format!("/api/targets/{target_id}/notice.docx")
    }

    pub fn petition_ledger_href(&self, round_id: &str) -> String {
        format!("/api/rounds/{round_id}/petitions.xlsx")
    }

    // ---- democratic evaluation ----

    pub async fn evaluations(&self, target_id: &str) -> ApiResult<Vec<Evaluation>> {
        self.get(&format!("/api/targets/{target_id}/evaluations"))
            .await
    }

    pub async fn create_evaluation(
        &self,
        target_id: &str,
        req: &NewEvaluation,
    ) -> ApiResult<CreatedEvaluation> {
        req.validate()?;
        self.send_json(
            Request::post(&format!("/api/targets/{target_id}/evaluations")),
            req,
        )
        .await
    }

    pub async fn evaluation_results(&self, id: &str) -> ApiResult<Results> {
        self.get(&format!("/api/evaluations/{id}/results")).await
    }

    pub async fn paper_ballots(&self, id: &str, req: &PaperBallots) -> ApiResult<Results> {
        req.validate()?;
        self.send_json(Request::post(&format!("/api/evaluations/{id}/paper")), req)
            .await
    }

    /// The slips as a Word document, made from the codes just shown (they are kept only as
    /// hashes, so they travel back in the body, never in an address a log would keep).
    pub async fn slips_docx(&self, id: &str, codes: &SlipCodes) -> ApiResult<Vec<u8>> {
        codes.validate()?;
        let request = self
            .with_lang(Request::post(&format!("/api/evaluations/{id}/slips.docx")))
            .json(codes)
            .map_err(|e| AppError::Unexpected(e.to_string()))?;
        let response = request.send().await.map_err(|_| AppError::Network)?;
        if response.ok() {
            return response
                .binary()
                .await
                .map_err(|e| AppError::Unexpected(e.to_string()));
        }
        self.read(Ok(response)).await
    }

    pub async fn referrals(&self) -> ApiResult<Vec<Referral>> {
        self.get("/api/referrals").await
    }

    pub async fn referral(&self, id: &str) -> ApiResult<Referral> {
        self.get(&format!("/api/referrals/{id}")).await
    }

    pub async fn create_referral(&self, req: &NewReferral) -> ApiResult<Referral> {
        req.validate()?;
        self.send_json(Request::post("/api/referrals"), req).await
    }

    /// `step` is `send` (the office) or `accept` (discipline).
    pub async fn advance_referral(&self, id: &str, step: &str) -> ApiResult<Referral> {
        self.send_json(
            Request::post(&format!("/api/referrals/{id}/{step}")),
            &serde_json::json!({}),
        )
        .await
    }
}

/// The filled-in filters as a query string.
fn serde_urlencoded_pairs(q: &AuditQuery) -> String {
    let pairs = [
        ("actor_id", q.actor_id.clone()),
        ("object_type", q.object_type.clone()),
        ("object_id", q.object_id.clone()),
        ("action", q.action.clone()),
        ("before", q.before.clone()),
        ("limit", q.limit.map(|l| l.to_string())),
        ("from", q.from.map(|d| d.to_string())),
        ("to", q.to.map(|d| d.to_string())),
    ];
    pairs
        .iter()
        .filter_map(|(k, v)| {
            v.as_ref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", js_sys::encode_uri_component(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
}
