//! Interface text in Simplified Chinese (default) and English. The choice is remembered in
//! the browser.

use leptos::prelude::*;
pub use xuncha_api::Lang;

const STORAGE_KEY: &str = "xuncha.lang";

macro_rules! messages {
    ($name:ident; $($key:ident => $zh:literal, $en:literal;)*) => {
        /// Texts of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($key),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$key),*];

            pub fn text(self, lang: Lang) -> &'static str {
                match self {
                    $($name::$key => lang.pick($zh, $en)),*
                }
            }
        }

        impl Text for $name {
            fn text(self, lang: Lang) -> &'static str {
                $name::text(self, lang)
            }
        }
    };
}

/// A text in both languages.
pub trait Text: Copy + Send + Sync + 'static {
    fn text(self, lang: Lang) -> &'static str;
}

messages! {
    Msg;
    AppName => "巡察工作平台", "Xuncha Inspection Platform";
    SignIn => "登录", "Sign in";
    SigningIn => "正在登录…", "Signing in…";
    SignOut => "退出登录", "Sign out";
    Username => "用户名", "User name";
    Password => "密码", "Password";
    Language => "English", "中文";
    SwitchLanguage => "切换到英文", "Switch to Chinese";
    MainNav => "主导航", "Main navigation";
    Menu => "菜单", "Menu";
    NavOrgs => "组织架构", "Organisations";
    NavUsers => "用户管理", "Users";
    NavAudit => "审计日志", "Audit log";
    NavStatistics => "统计分析", "Statistics";
    NavReferrals => "线索移交", "Referrals";
    NavAccount => "我的账号", "My account";
    NavMyOrg => "本单位", "My organisation";
    Loading => "正在加载…", "Loading…";
    NoOfflineShell => "此地址不能离线打开本应用（需使用 https 地址），请在有网络时打开。", "This address cannot open the app offline (that needs the https address); open it while online.";
    StoreSmall => "此浏览器不支持本机数据库，已改用简易存储：填写的内容仍保存在本机，但空间很小，照片请尽快在有网络时发送。", "This browser has no local database, so a small store is used: what you enter is kept on this phone, but there is little room; send photos soon, while online.";
    StorePageOnly => "此浏览器不允许在本机保存：填写的内容只在本页打开期间保留，关闭或刷新本页前请等待“待发送”清零。建议点右上角「···」选择「在浏览器中打开」。", "This browser does not let the app keep anything on the phone: what you enter lives only while this page is open; before closing or reloading it, wait until nothing is waiting to send. Better: open the page in the system browser.";
    SavedInPage => "仅保存在本页", "Kept in this page only";
    WorkGone => "本机上次保存、当时尚未发送的内容已找不到（退出微信登录或清理缓存会清除网页数据），可能没有发送成功：", "What this phone kept and had not yet sent is gone (signing out of WeChat or clearing its cache removes web data) and may not have reached the server: ";
    GoneAnswers => "条自查答案", "self-check answers";
    GoneFiles => "张照片或文件", "photos or files";
    GoneSteps => "项整改进展或提交", "task reports or submissions";
    GoneTalks => "条谈话记录", "talk records";
    GoneStationing => "项驻村清单或走访的修改", "changes of stationing lists or visits";
    GoneFindings => "条发现的问题", "findings";
    GonePetitions => "件手工登记的信访举报", "petitions entered by hand";
    GoneNewTasks => "项新建的整改任务", "new rectification tasks";
    WorkGoneAgain => "请核对后补填并发送。", "Please check and enter again what is missing.";
    GotIt => "知道了", "OK";
    Retry => "重试", "Retry";
    PageNotLoaded => "网络不稳，本页没有下载完成。", "The network is weak and this page did not finish downloading.";
    Save => "保存", "Save";
    Saving => "正在保存…", "Saving…";
    Saved => "已保存", "Saved";
    Code => "行政区划代码", "Administrative code";
    Level => "层级", "Level";
    Secretary => "党组织书记", "Party secretary";
    Leaders => "领导班子", "Leadership team";
    NoLeaders => "尚未录入", "Not entered yet";
    BasicData => "村情基本数据", "Basic data";
    Households => "户数", "Households";
    Population => "人口", "Population";
    PartyMembers => "党员数", "Party members";
    CollectiveIncome => "集体经济收入（万元）", "Collective income (10k yuan)";
    CollectiveAssets => "集体资产（万元）", "Collective assets (10k yuan)";
    Status => "状态", "Status";
    Active => "正常", "Active";
    Inactive => "已停用", "Deactivated";
    NewPassword => "新密码", "New password";
    OldPassword => "原密码", "Current password";
    ChangePassword => "修改密码", "Change password";
    PasswordChanged => "密码已修改", "Password changed";
    When => "时间", "When";
    Detail => "内容", "Detail";
    MyOrgTitle => "本单位信息", "My organisation";
    MyOrgIntro => "请核实并维护本单位的基本数据，保存后巡察办可见。", "Check and keep your organisation's basic data up to date; the inspection office sees what you save.";
    SignedInAs => "当前用户", "Signed in as";
    NotFound => "页面不存在", "Page not found";
    Skip => "跳到主要内容", "Skip to main content";
    NavLedger => "全覆盖台账", "Coverage ledger";
    NavRounds => "巡察轮次", "Rounds";
    OurInspections => "本单位巡察情况", "Inspections of my organisation";
    NotInspectedYet => "本届尚未安排对本单位的巡察", "No inspection of my organisation is scheduled";
    Count => "数量", "Count";
    SelfCheck => "自查", "Self-check";
    StartSelfCheck => "开展自查", "Open the self-check";
    Answered => "已答", "Answered";
    TasksOpen => "项未完成", "open";
    TasksOverdue => "项已逾期", "overdue";
    StationDates => "进驻时间：", "On site: ";
    TeamContact => "巡察组联系方式：", "Team's contact: ";
    EvidenceFile => "材料", "File";
    RemoveFile => "移除", "Remove";
    RemoveRefused => "未能移除：", "Could not remove it: ";
    NextFocus => "下一部分：", "Next: ";
    SavedOnPhone => "已保存在本机", "Saved on this phone";
    WaitingToSend => "等待发送", "Waiting to send";
    SentState => "已发送", "Sent";
    ConflictState => "有冲突", "Conflict";
    PendingChanges => "项待发送", "waiting to send";
    OfflineBadge => "离线", "Offline";
    ProblemNote => "问题说明", "Describe the problem";
    AddEvidence => "拍照或上传证明材料", "Take a photo or add a file";
    KeepMine => "保留我的答案", "Keep my answer";
    TakeServer => "采用服务器上的答案", "Use the server's answer";
    ServerHas => "服务器上已有不同的答案：", "The server has a different answer: ";
    Submit => "提交", "Submit";
    SubmittedState => "已提交", "Submitted";
    ReturnedState => "已退回", "Returned";
    ReturnReason => "退回原因", "Reason for return";
    SignOutBlocked => "还有未发送的内容，请联网发送后再退出登录。", "Some answers are not sent yet; connect and send them before signing out.";
    SessionExpired => "登录已过期：本机内容都已保存，请重新登录后继续发送。", "Your session expired: everything is kept on this phone; sign in again to send it.";
    AnswerYes => "是", "Yes";
    AnswerNo => "否", "No";
    AnswerNa => "不适用", "Not applicable";
    EvidenceOnServer => "份材料已上传", "files on the server";
    EvidenceWaiting => "份材料待发送", "files waiting to send";
    SubmitNeedsNetwork => "联网并发送全部内容后才能提交", "Connect and send everything before submitting";
    LoadingOffline => "正在读取本机保存的内容…", "Reading what is saved on this phone…";
    NeverOpened => "请先在有网络时打开一次自查", "Open the self-check once while online first";
    NavTemplates => "检查清单模板", "Checklist templates";
    NewVersion => "新版本已就绪，本机保存的内容不受影响。", "A new version is ready; what is saved on this phone is kept.";
    Reload => "刷新使用新版本", "Reload to use it";
    NavTasks => "整改任务", "Rectification tasks";
    NavReminders => "催办", "Reminders";
    NavRectification => "整改台账", "Rectification ledger";
    NoTasks => "暂无整改任务", "No rectification tasks";
    TaskDeadline => "整改时限", "Deadline";
    Overdue => "已逾期", "Overdue";
    Measures => "整改措施", "Measures";
    ResponsiblePerson => "第一责任人", "Person responsible";
    ProgressNote => "整改进展", "Progress";
    AddTaskPhoto => "添加整改照片", "Add a photo";
    SaveProgress => "保存进展", "Save progress";
    SubmitTask => "提交整改完成", "Submit as done";
    RefusedByServer => "未被接受", "Not accepted";
    Discard => "放弃", "Discard";
    ProgressHistory => "整改进展记录", "Progress reports";
    TaskPhoto => "整改照片", "Photo";
    TaskFile => "整改材料", "File";
    NoProgressYet => "尚未报送整改进展", "No progress reported yet";
}

// Texts only the office app shows: kept apart so that the field app, on a village phone,
// does not carry them.
messages! {
    OfficeMsg;
    Search => "搜索组织", "Search organisations";
    SearchHint => "名称、拼音首字母或代码", "Name, pinyin initials or code";
    NoMatches => "没有找到匹配的组织", "No organisation matches";
    Matches => "个结果", "results";
    MoreResults => "显示更多结果", "Show more results";
    OrgTree => "组织树", "Organisation tree";
    Expand => "展开", "Expand";
    Collapse => "收起", "Collapse";
    SelectOrg => "请在左侧选择一个组织", "Choose an organisation in the tree";
    Name => "名称", "Name";
    Deactivate => "停用该组织", "Deactivate";
    Reactivate => "恢复该组织", "Reactivate";
    EditOrg => "编辑组织信息", "Edit organisation";
    AddChild => "新增下级组织", "Add a sub-organisation";
    Create => "创建", "Create";
    MoveTo => "移动到", "Move under";
    Move => "移动", "Move";
    ImportOrgs => "导入组织表（.xlsx 或 .csv）", "Import organisations (.xlsx or .csv)";
    Import => "导入", "Import";
    ImportDone => "导入完成", "Import finished";
    Created => "新增", "created";
    Updated => "更新", "updated";
    ImportFailed => "以下行有错误，未写入任何数据", "These rows have errors; nothing was written";
    Row => "行", "Row";
    Field => "字段", "Field";
    Problem => "问题", "Problem";
    ExportOrgs => "导出组织表（.xlsx）", "Export organisations (.xlsx)";
    Users => "用户", "Users";
    DisplayName => "姓名", "Full name";
    Role => "角色", "Role";
    BoundOrg => "所属组织", "Organisation";
    NewUser => "新建用户", "New user";
    InitialPassword => "初始密码", "Initial password";
    Disable => "停用", "Disable";
    Enable => "启用", "Enable";
    ResetPassword => "重置密码", "Reset password";
    PasswordReset => "密码已重置", "Password reset";
    AuditLog => "审计日志", "Audit log";
    Who => "操作人", "Who";
    Action => "操作", "Action";
    Object => "对象", "Object";
    FilterAction => "按操作筛选", "Filter by action";
    Older => "更早的记录", "Older entries";
    System => "系统", "System";
    ChooseOrg => "请选择组织", "Choose an organisation";
    Terms => "届次", "Terms";
    NewTerm => "新建届次", "New term";
    TermName => "届次名称", "Term name";
    Committee => "党委", "Committee";
    StartDate => "开始日期", "Start date";
    EndDate => "结束日期", "End date";
    DaysLeft => "本届剩余天数", "Days left in the term";
    Coverage => "覆盖率", "Coverage";
    Covered => "有形覆盖", "Inspected";
    Total => "组织数", "Organisations";
    Projected => "按当前进度预计届末覆盖率", "Projected coverage at the end of the term";
    OnTrack => "进度正常", "On track";
    AtRisk => "进度滞后", "Behind pace";
    ByLevel => "按层级", "By level";
    ByTownship => "按乡镇（街道）", "By township";
    Township => "乡镇（街道）", "Township";
    CoverageState => "覆盖状态", "State";
    ColumnNotes => "栏目说明", "What the columns mean";
    NoFindingsHead => "未发现问题的巡察对象", "Targets where nothing was found";
    NoFindingsHint => "计入有效覆盖；请逐一判断是否走过场。", "Counted as effective; check each one was not a formality.";
    NoneOfThese => "没有", "None";
    Show => "显示", "Show";
    AnyLevel => "全部层级", "Any level";
    AnyTownship => "全部乡镇", "Any township";
    CoveredByCol => "巡察轮次", "Inspected in";
    Shown => "显示", "showing";
    ExportLedger => "导出台账（.xlsx）", "Export ledger (.xlsx)";
    NoTerms => "还没有届次", "No terms yet";
    Rounds => "巡察轮次", "Rounds";
    NewRound => "新建巡察轮次", "New round";
    RoundName => "轮次名称", "Round name";
    Kind => "巡察方式", "Kind";
    Theme => "专项主题", "Theme";
    Phase => "阶段", "Phase";
    NextPhase => "进入下一阶段", "Move to the next phase";
    Teams => "巡察组", "Teams";
    NewTeam => "组建巡察组", "Form a team";
    TeamName => "巡察组名称", "Team name";
    Leader => "组长", "Leader";
    Members => "组员", "Members";
    Contact => "对外联系电话", "Public contact";
    Targets => "巡察对象", "Targets";
    AssignTargets => "确定巡察对象", "Assign targets";
    PickTownship => "选择乡镇（街道）", "Choose a township";
    Team => "巡察组", "Team";
    StationStart => "进驻日期", "Stationing from";
    StationEnd => "撤离日期", "Stationing until";
    Assign => "确定", "Assign";
    ExportTargets => "导出巡察对象（.xlsx）", "Export targets (.xlsx)";
    NoRounds => "暂无巡察轮次", "No rounds";
    NoTargets => "尚未确定巡察对象", "No targets yet";
    ChecklistRecord => "检查记录", "Checklist";
    ToFinding => "转为问题", "Record as a finding";
    BecameFinding => "已转为问题", "Recorded as a finding";
    Findings => "问题清单", "Findings";
    NoFindings => "尚未发现问题", "No findings yet";
    AddFinding => "手动添加问题", "Add a finding";
    FindingTitle => "问题概述", "Finding";
    FindingDescription => "具体情况", "Details";
    Severity => "严重程度", "Severity";
    Source => "问题来源", "Source";
    FocusLabel => "所属方面", "Focus point";
    ReturnRecord => "退回修改", "Return for changes";
    Version => "版本", "Version";
    Published => "已发布", "Published";
    Draft => "草稿", "Draft";
    CopyAsNewVersion => "复制为新版本", "Copy as a new version";
    Publish => "发布", "Publish";
    EditDraft => "编辑草稿", "Edit the draft";
    TemplateName => "模板名称", "Template name";
    Prompt => "检查内容", "Prompt";
    Required => "必答", "Required";
    EvidenceRequired => "发现问题须附证明材料", "A problem needs evidence";
    RemoveItem => "删除此项", "Remove this item";
    PolicyDefaults => "县默认政策清单", "The county's default policy list";
    PolicyDefaultsHint => "巡察组准备进驻时把本清单复制到巡察对象的政策清单，再按村情修改；这里的修改不改变已复制的清单。", "A team copies this list into a target's policy list before stationing and edits it there; editing it here leaves copies as they are.";
    AddPolicyDefault => "添加默认政策", "Add a default policy";
    NoPolicyDefaults => "还没有默认政策", "No default policies yet";
    PublishedNeverChanges => "已发布的版本不可修改；复制为新版本后编辑。", "A published version never changes; copy it to a new version to edit.";
    TaskHistory => "办理记录", "History";
    AcceptTask => "验收通过", "Accept";
    ReturnTask => "退回整改", "Return for more work";
    CloseTask => "销号", "Close";
    PublicText => "公开的整改成效（可不填，默认公开整改措施）", "What the public page says was done (optional; the measures otherwise)";
    CreateTasks => "生成整改任务", "Create tasks";
    MakeTaskFor => "本次生成", "Create now";
    CreateTasksHint => "勾选的每条问题生成一项整改任务；第一责任人默认为党组织书记，整改时限默认三个月。", "One task per finding ticked; the person responsible defaults to the Party secretary and the deadline to three months.";
    OnTheSpotTasks => "立行立改：驻村期间整改到位，时限在进驻期内（默认进驻最后一天）", "Fix on the spot: done while the team is stationed, the deadline within the stationing (its last day by default)";
    EarlierFindings => "回头看：以往巡察发现的问题", "Follow-up: findings of earlier rounds";
    NoEarlierFindings => "该组织以往没有巡察发现的问题", "No findings in earlier rounds";
    Reopen => "重新整改", "Reopen";
    NoReminders => "近7天内没有到期或逾期的整改任务", "Nothing due within 7 days or overdue";
    RemindersIntro => "7天内到期和已逾期的整改任务，按组织列出。", "Open tasks due within 7 days or overdue, by organisation.";
    MoreReminders => "仅显示最紧迫的部分任务", "Only the most pressing are shown";
    ChooseRound => "选择轮次", "Choose a round";
    ExportRectification => "导出整改台账（.xlsx）", "Export rectification ledger (.xlsx)";
    ExportTermRectification => "导出本届全部整改台账（.xlsx）", "Export the whole term's ledger (.xlsx)";
    PublicPage => "整改情况公开", "Public disclosure";
    TaskTotal => "合计", "Total";
    Round => "轮次", "Round";
    Stationing => "进驻时间", "On site";
    NotScheduled => "尚未安排", "Not scheduled";
    RecordIsTeams => "检查记录是巡察组的工作底稿，由本组成员填写，组外人员不能查看或修改答案。", "The checklist record is the team's working paper: its members fill it in, and nobody outside the team reads or changes the answers. ";
    RecordNotOpened => "巡察组尚未开始填写。", "the team has not started it.";
    RecordSubmitted => "已提交", "submitted";
    RecordFilling => "填写中", "being filled in";
    Progress => "检查记录进度", "Record";
    FindingCount => "问题", "Findings";
    OpenTasks => "未完成整改", "Open tasks";
    SortBy => "按此列排序", "Sort by this column";
    NotStarted => "未开始", "Not started";
    ConfirmAccept => "确认验收通过", "Accept";
    ConfirmAcceptNote => "验收通过后本人不能撤回。", "Once accepted, you cannot take it back.";
    ConfirmClose => "确认销号", "Close";
    ConfirmCloseNote => "销号后任务即告结束，并在整改情况公开页显示。", "Once closed, the task ends and shows on the public disclosure page.";
    Cancel => "取消", "Cancel";
    ExportFiltered => "（按当前筛选条件导出）", "(exports what the filters show)";
    PhaseNoReturn => "进入下一阶段后不能退回。", "A phase once left cannot be returned to.";
    VillageReport => "下载一村一报告（Word）", "Download the village's report (Word)";
    StatusFilter => "状态", "Status";
    AllStatuses => "全部", "All";
    OpenOnly => "未完成", "Open";
    AllTownships => "全部乡镇（街道）", "All townships";
    OverdueOnly => "只看逾期", "Overdue only";
    InspectedOrg => "被巡察组织", "Organisation";
    Responsible => "第一责任人", "Responsible";
    Handle => "办理", "Action";
    NothingMatches => "没有符合条件的任务", "No task matches";
    AuditEntries => "操作记录", "Entries";
    Everyone => "全部人员", "Everyone";
    EveryKind => "全部对象", "Every kind";
    FromDay => "起始日期", "From";
    ToDay => "截止日期", "Until";
    ByActionCode => "按操作代码筛选（供技术人员）", "By action code (for experts)";
    WhatWasDone => "操作内容", "What was done";
    RawRecord => "原始记录", "Raw record";
    NoEntries => "没有符合条件的记录", "No entry matches";
    Forbidden => "无权访问此页面", "You cannot use this page";
    ForbiddenFor => "此页面不向以下角色开放：", "This page is not open to the role ";
    ForbiddenAsk => "。如确需使用，请联系巡察办。", ". If you need it, ask the inspection office.";
    BackHome => "返回首页", "Back to the start page";
}

/// A remark in brackets: full-width in Chinese, half-width after a space in English.
pub fn in_brackets(lang: Lang, text: &str) -> String {
    match lang {
        Lang::Zh => format!("（{text}）"),
        Lang::En => format!(" ({text})"),
    }
}

/// The language chosen before, else the browser's, else Chinese.
pub fn initial_lang() -> Lang {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    match stored {
        Some(code) => Lang::from_code(&code),
        None => Lang::Zh,
    }
}

pub fn remember_lang(lang: Lang) {
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = storage.set_item(STORAGE_KEY, lang.code());
    }
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("lang", lang.code());
    }
}

/// The current language, from context.
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<RwSignal<Lang>>()
}

// Talks, clues and referrals: the office app's restricted pages.
messages! {
    CaseMsg;
    Restricted => "以下内容受限，每次查阅均留痕。", "Restricted: every read is logged.";
    Talks => "个别谈话记录", "Talk records";
    NoTalks => "尚无谈话记录", "No talk records yet";
    AddTalk => "新增谈话记录", "Add a talk record";
    TalkKind => "谈话方式", "Kind";
    TalkPerson => "谈话对象", "Person talked to";
    PersonPost => "职务", "Post";
    PersonOrg => "所在单位", "Organisation";
    HeldOn => "谈话日期", "Date";
    Place => "地点", "Place";
    Present => "参加谈话的巡察人员（至少 2 人）", "Inspectors present (at least 2)";
    PresentShort => "在场巡察人员", "Inspectors present";
    ToFinding => "据此登记问题", "Record a finding from it";
    FindingFromTalk => "来源谈话：", "From the talk: ";
    NotFromTalk => "不关联谈话", "Not from this talk";
    TalkSummary => "谈话内容摘要", "Summary";
    PrivateTalk => "谈话对象要求不具名", "The person asked not to be named";
    NotNamed => "不具名", "Not to be named";
    SaveTalk => "保存谈话记录", "Save the talk record";
    TalkSaved => "谈话记录已保存在本机，有网络时自动发送", "Talk record saved on this device; it is sent when there is a network";
    SavedTalks => "本机保存、尚未发送的谈话记录", "Talk records on this device, not yet sent";
    SavedFindings => "本机保存、尚未发送的问题", "Findings on this device, not yet sent";
    SavedPetitions => "本机保存、尚未发送的信访举报", "Petitions on this device, not yet sent";
    PetitionSaved => "信访举报已保存在本机，有网络时自动发送", "Petition saved on this device; it is sent when there is a network";
    SavedNewTasks => "本机保存、尚未发送的整改任务", "Rectification tasks on this device, not yet sent";
    Attachments => "添加附件（谈话笔录、材料的照片或 PDF）", "Add a file (the signed transcript or a document, photo or PDF)";
    Attachment => "附件", "File";
    ReportFiles => "添加来文附件（通报、报告的照片或 PDF）", "Add what the office sent (a report, photo or PDF)";
    PetitionFiles => "添加附件（来信、材料的照片或 PDF）", "Add a file (the letter or a document, photo or PDF)";
    ReadLog => "查阅记录", "Read log";
    ShowReads => "查看查阅记录", "Show who read this";
    NoReads => "尚无查阅记录", "Nobody has read it yet";
    Endpoint => "查阅途径", "Through";
    Clues => "问题线索", "Problem clues";
    NoClues => "尚无问题线索", "No clues yet";
    AddClue => "登记问题线索", "Record a clue";
    CluePerson => "反映对象", "Person concerned";
    Matter => "问题内容", "What is alleged";
    MatterWhen => "发生时间", "When it happened";
    Amount => "涉及金额（元）", "Amount (yuan)";
    ClueSource => "线索来源", "Source";
    FromTalk => "来源谈话", "From the talk";
    NoneChosen => "（无）", "(none)";
    Seriousness => "严重程度", "Seriousness";
    ClueState => "线索状态", "State";
    SaveClue => "保存问题线索", "Save the clue";
    OpenClue => "查看线索", "Open the clue";
    Propose => "提请移交", "Propose for referral";
    Withdraw => "撤回提请", "Withdraw the proposal";
    ReturnToTeam => "退回巡察组", "Send back to the team";
    History => "办理过程", "History";
    RecordHandling => "记录处置情况", "Record the handling";
    Disposal => "处置方式", "Handling form";
    Result => "处理结果（办结）", "Result (concludes it)";
    NoResult => "尚无结果", "No result yet";
    OnDate => "日期", "Date";
    Note => "说明", "Note";
    Referrals => "问题线索移交", "Referral of clues";
    ProposedClues => "提请移交的问题线索", "Clues proposed for referral";
    NoProposed => "没有提请移交的线索", "No clue is proposed for referral";
    Include => "列入本次移交", "Include in this referral";
    Number => "移交文号", "Referral number";
    ReferredOn => "移交日期", "Referral date";
    CoverLetter => "移交函", "Cover letter";
    FeedbackMonths => "反馈期限（月）", "Feedback due within (months)";
    Assemble => "组成移交", "Assemble the referral";
    ReferralList => "移交记录", "Referrals";
    NoReferrals => "尚无移交记录", "No referral yet";
    Send => "发送移交", "Send the referral";
    Accept => "受理", "Accept";
    FeedbackDue => "反馈期限", "Feedback due";
    FeedbackOverdue => "逾期未反馈", "Feedback overdue";
    FedBack => "已反馈", "Fed back";
    ReferralState => "移交状态", "State";
    PrintList => "打印移交清单", "Print the list";
    ClueCount => "线索数", "Clues";
    Handled => "待处置和处置中的线索", "Clues accepted and being handled";
    NothingToHandle => "没有待处置的线索", "No clue to handle";
    VerifyChain => "核验审计日志", "Verify the audit log";
    Verifying => "正在核验…", "Verifying…";
    ChainIntact => "审计日志完整", "The audit log is intact";
    ChainBroken => "审计日志已被改动", "The audit log has been tampered with";
    Entries => "条记录", "entries";
    CheckpointLabel => "核验点（序号:哈希值，可留空）", "Checkpoint (seq:hash, optional)";
    CheckpointHint => "请抄录当前核验点并另行保存，日后可用它核对审计日志未被整体改写。", "Write the current checkpoint down and keep it elsewhere: later it shows the log was not rewritten.";
    CurrentCheckpoint => "当前核验点", "Current checkpoint";
    BreakAltered => "内容被修改", "its content was changed";
    BreakUnlinked => "与前一条记录不衔接（之前的记录被替换）", "it does not link to the entry before (something before it was replaced)";
    BreakMissing => "记录缺失（被删除）", "it is missing (deleted)";
    BreakHead => "链尾与最后一条记录不符（末尾记录被删除或替换）", "the head does not match the last entry (entries at the end were removed or replaced)";
    BreakCheckpoint => "与抄录的核验点不符（日志自此被改写）", "it does not match the checkpoint written down (the log was rewritten from there)";
    BreakOutside => "不在链中（绕过系统写入）", "it is outside the chain (written behind the system's back)";
    EntryNo => "第", "Entry #";
    PrintedBy => "受限内容，查阅已留痕。打印人：", "Restricted; this read is logged. Printed by: ";
    Petitions => "信访举报", "Petitions";
    NoPetitions => "尚无信访举报", "No petitions yet";
    AddPetition => "登记来电、来信、来访或意见箱收到的信访举报", "Enter a petition received by phone, letter, in person or in the post box";
    Channel => "渠道", "Channel";
    ReceivedOn => "收到日期", "Received on";
    PetitionContent => "反映内容", "What it says";
    Concerns => "反映对象", "Whom it concerns";
    Contact => "联系方式", "Contact";
    Anonymous => "匿名", "Anonymous";
    ContactHidden => "留有联系方式（仅组长可见）", "A contact was left (the team leader sees it)";
    SavePetition => "保存信访举报", "Save the petition";
    PetitionState => "办理状态", "State";
    Outcome => "分办结果", "Triage";
    NotTriaged => "未分办", "Not yet triaged";
    Triage => "分办", "Triage";
    TransferTo => "转办单位", "Passed to";
    Reason => "不予处理的理由", "Why no action";
    PublicAnswer => "给群众的答复（凭查询码可见）", "Answer the petitioner reads with the tracking code";
    SaveTriage => "保存分办结果", "Save the triage";
    FindingTitle => "问题标题", "Finding title";
    Village => "被巡察组织", "Organisation";
    Notice => "巡察公告", "Stationing notice";
    EditNotice => "修改公告内容", "Edit the notice";
    NoticePhone => "受理电话", "Phone for petitions";
    BoxLocation => "意见箱位置", "Post box location";
    GraceDays => "进驻结束后继续受理的天数", "Days the page stays open after stationing";
    SaveNotice => "保存公告", "Save the notice";
    PrintNotice => "打印巡察公告（含二维码）", "Print the notice (with QR code)";
    PublicPage => "群众信访页面", "The public petition page";
    PageOpen => "正在受理", "taking petitions";
    PageClosed => "目前不受理", "not taking petitions now";
    PetitionLedger => "下载信访举报台账（.xlsx）", "Download the petition ledger (.xlsx)";
    Evaluations => "民主测评", "Democratic evaluation";
    NoEvaluations => "尚未开展民主测评", "No evaluation yet";
    ShowResults => "查看测评结果", "Show the results";
    BelowThreshold => "收到的测评份数还不够，暂不显示结果（份数太少可能推断出个人意见）。", "Too few responses to show any result yet (a handful could tell who said what).";
    KnowRate => "知晓率", "Knew of the inspection";
    PartRate => "参与率", "Took part";
    SatisfiedRate => "满意率", "Satisfied";
    OverallGood => "总体好评率（好和较好）", "Good or fairly good overall";
    GoodShare => "好和较好占比", "Good or fairly good";
    Rated => "测评对象·内容", "Who · on what";
    Comments => "意见建议", "Comments";
    AddEvaluation => "新建民主测评", "New evaluation";
    EvaluationTitle => "测评名称", "Title";
    CodeCount => "测评码数量（计划参加测评的人数）", "Codes (the respondents planned)";
    Threshold => "显示结果所需的最少份数（不少于 3）", "Responses before results show (at least 3)";
    MakeCodes => "生成测评码", "Make the codes";
    SlipsHeading => "测评票", "Slips";
    SlipsOnce => "测评码只显示这一次，系统只保存其校验值：请现在打印并裁开发放。", "The codes are shown this once (only their hashes are kept): print and cut the slips now.";
    PrintSlips => "打印测评票", "Print the slips";
    SlipHint => "手机扫码，或打开本系统的 /ceping 页面输入测评码。不记名，每码限用一次。", "Scan with a phone, or open /ceping and type the code. Anonymous; each code works once.";
    SlipsDocx => "下载测评票（Word）", "Download the slips (Word)";
    NoticeDocx => "下载巡察公告（Word）", "Download the notice (Word)";
    EnterPaper => "录入纸质测评票", "Enter paper ballots";
    PaperHint => "按清点好的纸质测评票填写：每一项各选项的张数相加应等于份数，空格按 0 计。", "From the counted paper ballots: each question's counts must add up to the ballots; a blank counts as 0.";
    PaperCount => "纸质测评票份数", "Paper ballots";
    PaperAnswers => "各选项张数", "Ballots per answer";
    CheckPaper => "核对并录入", "Check and enter";
    EnterPaperNow => "确认录入", "Enter them";
    DoesNotAddUp => "各选项张数相加应等于份数", "The counts must add up to the ballots";
    PaperEntered => "其中纸质测评票", "On paper";
}

/// A reactive text for views: `{t(Msg::SignIn)}`.
pub fn t(msg: impl Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || msg.text(lang.get())
}

// The stationing section of a target's page (office app only).
messages! {
    StationMsg;
    Heading => "驻村工作清单", "Stationing lists";
    Figures => "驻村工作进度", "Stationing progress";
    Visits => "走访重点人员清单", "Visit list";
    NoItems => "尚无条目", "Nothing listed yet";
    NoVisits => "尚未列入走访对象", "Nobody on the visit list yet";
    AddPolicy => "添加政策", "Add a policy";
    AddInformation => "添加收集的信息", "Add information received";
    AddExpected => "添加预设问题", "Add a pre-set problem";
    AddVisit => "添加走访对象", "Add a person to visit";
    CopyDefaults => "复制县默认政策清单", "Copy the county's default policies";
    Edit => "修改", "Edit";
    Remove => "移除", "Remove";
    RecordVisit => "记录走访", "Record the visit";
    VisitToPetition => "登记为信访举报", "Enter as a petition";
    FindingFromVisit => "来源走访：", "From the visit to ";
    NotFromVisit => "不关联走访", "Not from this visit";
    FromVisit => "来源走访", "From the visit";
    VisitToClue => "登记为问题线索", "Enter as a problem clue";
    FindingsFromVisit => "据此登记的问题：", "Findings from this visit: ";
    Cancel => "取消", "Cancel";
    SaveItem => "保存到本机并发送", "Save on this device and send";
    Area => "政策领域", "Policy field";
    PolicyTitle => "政策名称", "Policy";
    Evidence => "村里应能提供的材料", "What the village should be able to show";
    Source => "情况来源单位", "Reporting office";
    Answered => "已回复", "Has answered";
    NotAnswered => "待回复", "Waiting for an answer";
    Summary => "反映的情况", "What it reported";
    Problem => "预设问题", "Expected problem";
    ChecklistItems => "对应检查项编号（用逗号分隔）", "Checklist items (numbers, separated by commas)";
    NoSuchItem => "检查清单中没有这一项", "not an item of the checklist";
    LinkedVisits => "通过哪些走访核实", "Visits that will test it";
    Outcome => "核实结果", "Outcome";
    Finding => "证实该问题的问题清单条目", "The finding that confirms it";
    NoFinding => "请选择问题", "Choose a finding";
    FindingsOffline => "无网络时无法读取问题清单，请联网后选择。", "The findings cannot be read without a network; choose one when online.";
    Origin => "来源（如县默认清单、审计报告）", "Where it came from (default list, audit report)";
    AddedBy => "添加人", "Added by";
    Person => "走访对象姓名", "Person to visit";
    Category => "类别（如困难群众、老党员）", "Group (e.g. families in need, veteran members)";
    Household => "计入走访农户", "Counts as a household visit";
    Address => "住址", "Address";
    VisitedOn => "走访日期", "Visited on";
    Visitors => "走访人员", "Who went";
    VisitNote => "走访情况", "What was learned";
    NotVisited => "未走访", "Not visited yet";
    Pending => "待发送", "Waiting to send";
    Removing => "待移除", "Waiting to be removed";
    Conflict => "有冲突：组内其他成员已修改此项，两个版本都已保留，请选择。", "Conflict: another team member changed this; both versions are kept, choose one.";
    TheirVersion => "服务器上的版本", "The version on the server";
    MyVersion => "本机的版本", "This device's version";
    KeepMine => "保留本机的版本", "Keep this device's version";
    TakeTheirs => "采用服务器上的版本", "Take the server's version";
    NotSaved => "未能保存", "Not saved";
    WaitingSince => "项修改待发送，最早一项保存于", "changes waiting to send, the oldest saved at";
    ShownFromDevice => "无网络：显示本机保存的内容，修改会在联网后发送。", "No network: showing what this device keeps; changes are sent when the signal returns.";
    NotKept => "本机没有保存此对象的驻村清单，请在有网络时打开一次本页。", "This device keeps no stationing lists for this target; open this page once with a network.";
    HouseholdsUnknown => "村情基本数据未录入户数，无法计算走访比例。", "The village's households are not in its basic data, so the share visited is unknown.";
    BelowShare => "走访农户不足全村户数的10%。", "Fewer than a tenth of the village's households visited.";
    HitRate => "命中率", "Hit rate";
}

// The statistics page's texts (office app only).
messages! {
    StatsMsg;
    Figures => "主要数据", "Key figures";
    AllRounds => "全部轮次", "All rounds";
    Round => "轮次", "Round";
    AllTownships => "全部乡镇（街道）", "All townships";
    Kind => "巡察类型", "Kind of round";
    AllKinds => "全部类型", "All kinds";
    From => "轮次开始于（起）", "Rounds starting from";
    To => "轮次开始于（止）", "Rounds starting until";
    DateHint => "日期格式：2026-03-01", "Date as 2026-03-01";
    PeriodReversed => "“止”的日期不能早于“起”的日期，统计仍按上次的筛选条件显示。", "The until day cannot be before the from day; the figures still follow the last filters.";
    OwnTargetsOnly => "仅统计您所在巡察组的巡察对象。", "Counting only the targets of your teams.";
    AsOf => "统计截至", "Figures as of";
    Targets => "巡察对象", "Targets";
    Findings => "发现问题", "Findings";
    FindingsByFocus => "问题按巡察重点和乡镇（街道）分布", "Findings by focus point and township";
    BySeverity => "问题按严重程度", "Findings by severity";
    BySource => "问题按来源", "Findings by source";
    Focus => "巡察重点", "Focus point";
    Severity => "严重程度", "Severity";
    Source => "来源", "Source";
    Count => "数量", "Count";
    Total => "合计", "Total";
    Rectification => "整改情况", "Rectification";
    RectificationRate => "整改率", "Rectification rate";
    RateNote => "整改率 = 已销号的整改任务 / 全部整改任务。", "Rectification rate = tasks closed / all tasks.";
    RateByTownship => "各乡镇（街道）整改率", "Rectification rate by township";
    Tasks => "整改任务", "Tasks";
    Closed => "已销号", "Closed";
    Overdue => "逾期", "Overdue";
    ByStatus => "整改任务按状态", "Tasks by status";
    Status => "状态", "Status";
    AverageDays => "平均销号用时", "Average time to close";
    Days => "天", "days";
    Coverage => "巡察覆盖", "Coverage";
    CoverageNote => "按届统计，不受轮次、类型和时段筛选影响。", "For the whole term: the round, kind and period filters do not apply.";
    Organisations => "组织数", "Organisations";
    ShouldCover => "应覆盖", "To cover";
    Petitions => "信访举报", "Petitions";
    ByChannel => "信访举报按渠道", "Petitions by channel";
    ByOutcome => "信访举报按办理结果", "Petitions by outcome";
    Channel => "渠道", "Channel";
    Outcome => "办理结果", "Outcome";
    NotTriaged => "尚未分办", "Not yet triaged";
    Clues => "问题线索", "Problem clues";
    CluesNote => "仅计数，不显示任何线索的内容。", "Counts only: no clue's contents show here.";
    Referred => "已移交纪检监察机关", "Referred to discipline";
    Rates => "民主测评三率", "The three rates";
    RatesNote => "仅计答卷达到公布人数的测评。", "Only evaluations that reached their threshold count.";
    KnowRate => "知晓率", "Aware";
    PartRate => "参与率", "Took part";
    SatisfiedRate => "满意率", "Satisfied";
    Evaluations => "测评", "Evaluations";
    Responses => "答卷", "Responses";
    NoRates => "尚无达到公布人数的测评。", "No evaluation has reached its threshold yet.";
    Export => "导出统计表（Excel）", "Export the statistics (Excel)";
    Chart => "图", "Chart";
    CommonProblems => "共性问题", "Common problems";
    CommonNote => "按问题表述的相似程度自动归并，只列出在两个以上村（社区）发现的问题；阈值越高，归并越严格。", "Findings grouped by how alike their words are; only those found in two villages or more. A higher threshold groups more strictly.";
    Threshold => "相似度阈值", "Similarity threshold";
    Loose => "宽松", "loose";
    Strict => "严格", "strict";
    DefaultThreshold => "默认", "default";
    NoCommon => "未发现在两个以上村（社区）出现的相似问题。", "No similar finding in two villages or more.";
    FindingsCount => "个问题", "findings";
    OrgsCount => "个村（社区）", "villages";
    LookedAt => "参与归并的问题", "Findings compared";
    ProblemLabel => "问题名称", "Problem";
    Department => "通报的职能部门", "Department to notify";
    DepartmentHint => "例如：县民政局（低保）、县农业农村局（村级财务）。", "E.g. the county's civil affairs bureau for subsistence allowances.";
    Suggestion => "工作建议（可不填，通报使用默认表述）", "Suggestion (optional: the notice has a default)";
    Confirm => "确认为共性问题", "Confirm as a common problem";
    Confirmed => "已确认为共性问题。", "Confirmed as a common problem.";
    ConfirmedMark => "已确认", "confirmed";
    ConfirmedHeading => "已确认的共性问题", "Confirmed common problems";
    NoConfirmed => "尚未确认共性问题。", "No common problem confirmed yet.";
    NotifiedTo => "通报", "Notify";
    Added => "确认后新发现", "found since";
    DownloadNotice => "下载通报（Word）", "Download the notice (Word)";
}

/// The button that switches between 中文 and English.
#[component]
pub fn LangToggle() -> impl IntoView {
    let lang = use_lang();
    view! {
        <button
            type="button"
            class="lang"
            aria-label=move || Msg::SwitchLanguage.text(lang.get())
            on:click=move |_| lang.update(|l| *l = if *l == Lang::Zh { Lang::En } else { Lang::Zh })
        >
            {t(Msg::Language)}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn every_message_has_both_languages_and_they_differ() {
        let all = Msg::ALL
            .iter()
            .map(|m| (format!("{m:?}"), m.text(Lang::Zh), m.text(Lang::En)))
            .chain(
                OfficeMsg::ALL
                    .iter()
                    .map(|m| (format!("{m:?}"), m.text(Lang::Zh), m.text(Lang::En))),
            )
            .chain(
                CaseMsg::ALL
                    .iter()
                    .map(|m| (format!("{m:?}"), m.text(Lang::Zh), m.text(Lang::En))),
            )
            .chain(
                StatsMsg::ALL
                    .iter()
                    .map(|m| (format!("{m:?}"), m.text(Lang::Zh), m.text(Lang::En))),
            )
            .chain(
                StationMsg::ALL
                    .iter()
                    .map(|m| (format!("{m:?}"), m.text(Lang::Zh), m.text(Lang::En))),
            );
        for (m, zh, en) in all {
            assert!(!zh.is_empty() && !en.is_empty(), "{m}");
            assert_ne!(zh, en, "{m}");
            assert!(
                !zh.is_ascii() || m == "Language",
                "{m} Chinese text is Chinese"
            );
            // English is written with half-width punctuation.
            let wide = en
                .chars()
                .find(|c| "：，。；（）！？、【】《》「」　".contains(*c));
            assert!(wide.is_none(), "{m}: {wide:?} in the English text {en:?}");
        }
    }

    #[wasm_bindgen_test]
    fn joins_follow_the_language() {
        assert_eq!(
            format!("{}{}", Lang::En.colon(), in_brackets(Lang::En, "x")),
            ":  (x)"
        );
        assert_eq!(
            format!("{}{}", Lang::Zh.colon(), in_brackets(Lang::Zh, "x")),
            "：（x）"
        );
    }

    #[wasm_bindgen_test]
    fn language_choice_is_remembered() {
        remember_lang(Lang::En);
        assert_eq!(initial_lang(), Lang::En);
        assert_eq!(
            document()
                .document_element()
                .unwrap()
                .get_attribute("lang")
                .as_deref(),
            Some("en")
        );
        remember_lang(Lang::Zh);
        assert_eq!(initial_lang(), Lang::Zh);
    }
}
