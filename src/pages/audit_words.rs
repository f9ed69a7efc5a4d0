//! An audit entry read in words: who did what to which object, and what changed, e.g.
//! 修改了组织「青石村」的书记：张三 → 李四. The raw record stays one click away.

use serde_json::Value;
use xuncha_api::audit::AuditEntry;
use xuncha_api::orgs::OrgLevel;
use xuncha_api::rectification::TaskStatus;
use xuncha_api::rounds::Phase;
use xuncha_api::users::Role;
use xuncha_api::Lang;

use crate::routes::{href, CLUES, ORGS, PETITIONS, REFERRALS, ROUNDS, TARGETS};

/// What kinds the log may be filtered by, as stored, with their names.
pub const KINDS: [&str; 19] = [
    "org",
    "user",
    "term",
    "round",
    "team",
    "target",
    "template",
    "checklist",
    "finding",
    "task",
    "talk",
    "clue",
    "referral",
    "petition",
    "evaluation",
    "common_problem",
    "prep_item",
    "visit",
    "policy_default",
];

pub fn kind_label(kind: &str, l: Lang) -> &str {
    match kind {
        "org" => l.pick("组织", "organisation"),
        "user" => l.pick("用户", "user"),
        "term" => l.pick("届", "term"),
        "round" => l.pick("轮次", "round"),
        "team" => l.pick("巡察组", "team"),
        "target" => l.pick("巡察对象", "target"),
        "template" => l.pick("检查清单模板", "checklist template"),
        "checklist" => l.pick("检查记录", "checklist record"),
        "finding" => l.pick("问题", "finding"),
        "task" => l.pick("整改任务", "rectification task"),
        "talk" => l.pick("谈话记录", "talk record"),
        "clue" => l.pick("问题线索", "problem clue"),
        "referral" => l.pick("线索移交", "referral"),
        "petition" => l.pick("信访举报", "petition"),
        "evaluation" => l.pick("民主测评", "democratic evaluation"),
        "common_problem" => l.pick("共性问题", "common problem"),
        "prep_item" => l.pick("进驻准备清单事项", "stationing list item"),
        "visit" => l.pick("走访对象", "visit"),
        "policy_default" => l.pick("默认政策清单", "default policy"),
        "system" => l.pick("系统", "system"),
        other => other,
    }
}

/// The verb of an action, in the past: 修改了 / changed.
fn verb(action: &str, l: Lang) -> String {
    let (_, what) = action.split_once('.').unwrap_or((action, ""));
    let v = match action {
        "auth.login" => l.pick("登录", "signed in"),
        "auth.logout" => l.pick("退出登录", "signed out"),
        "auth.login_failed" => l.pick("登录失败", "failed to sign in as"),
        "user.change_password" => l.pick("修改了密码", "changed the password of"),
        "user.reset_password" => l.pick("重置了密码", "reset the password of"),
        "org.import_create" => l.pick("导入新建了", "imported a new"),
        "org.import_update" => l.pick("导入更新了", "updated by import"),
        "checklist.open" => l.pick("开始填写", "opened"),
        "checklist.answer" => l.pick("填写了", "answered in"),
        "checklist.evidence" => l.pick("上传了佐证材料到", "added evidence to"),
        "checklist.evidence_removed" => l.pick("删除了佐证材料于", "removed evidence from"),
        "task.progress" => l.pick("报送了整改进展于", "reported progress on"),
        "task.move" | "round.phase" => l.pick("变更了", "moved"),
        "target.assign" => l.pick("确定了巡察对象于", "assigned targets to"),
        "template.copy" => l.pick("复制了", "copied"),
        "template.publish" => l.pick("发布了", "published"),
        "petition.receive" => l.pick("收到了", "received"),
        "petition.triage" => l.pick("分办了", "triaged"),
        "evaluation.paper" => l.pick("录入了纸质测评票于", "entered paper ballots in"),
        "evaluation.response" => l.pick("收到了测评答卷于", "received an answer in"),
        "common_problem.confirm" => l.pick("确认了", "confirmed"),
        "stationing.item_put" | "stationing.visit_put" | "stationing.default_put" => {
            l.pick("填写了", "wrote")
        }
        "stationing.prep_item_removed" | "stationing.visit_removed" => l.pick("删除了", "removed"),
        "stationing.defaults_copied" => {
            l.pick("复制默认政策清单到", "copied the default policies to")
        }
        "demo.seed" => l.pick("生成了演示数据", "made the demo data"),
        "clue.move" | "clue.handle" => l.pick("处理了", "handled"),
        _ => match what {
            "create" => l.pick("新建了", "created"),
            "update" => l.pick("修改了", "changed"),
            "read" => l.pick("查阅了", "read"),
            "file" => l.pick("添加了附件于", "attached a file to"),
            _ if action.starts_with("referral.") => l.pick("处理了", "handled"),
            _ => return action.to_string(),
        },
    };
    v.to_string()
}

fn field_label(key: &str, l: Lang) -> String {
    let s = match key {
        "name" => l.pick("名称", "name"),
        "code" => l.pick("代码", "code"),
        "level" => l.pick("层级", "level"),
        "parent_id" => l.pick("上级组织", "parent"),
        "active" => l.pick("状态", "active"),
        "secretary" => l.pick("书记", "secretary"),
        "leaders" => l.pick("领导班子", "leadership"),
        "households" => l.pick("户数", "households"),
        "population" => l.pick("人口", "population"),
        "party_members" => l.pick("党员数", "Party members"),
        "collective_income" => l.pick("村集体经济收入", "collective income"),
        "collective_assets" => l.pick("集体资产", "collective assets"),
        "display_name" => l.pick("姓名", "name"),
        "username" => l.pick("用户名", "user name"),
        "role" => l.pick("角色", "role"),
        "org_id" => l.pick("所属组织", "organisation"),
        "status" => l.pick("状态", "status"),
        "phase" => l.pick("阶段", "phase"),
        "reason" => l.pick("理由", "reason"),
        "public_text" => l.pick("公开的整改成效", "public text"),
        "label" => l.pick("问题名称", "problem"),
        "department" => l.pick("职能部门", "department"),
        "suggestion" => l.pick("工作建议", "suggestion"),
        "threshold" => l.pick("相似度阈值（%）", "threshold (%)"),
        "findings" => l.pick("问题数", "findings"),
        "focus" => l.pick("监督重点", "focus point"),
        other => other,
    };
    s.to_string()
}

/// A value as an office reads it: text as it is, nothing as （空）, a list of people by name.
fn value_text(v: &Value, l: Lang) -> String {
    match v {
        Value::Null => l.pick("（空）", "(empty)").to_string(),
        Value::Bool(b) => if *b {
            l.pick("启用", "yes")
        } else {
            l.pick("停用", "no")
        }
        .to_string(),
        Value::String(s) if s.is_empty() => l.pick("（空）", "(empty)").to_string(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => {
            let names: Vec<String> = items
                .iter()
                .map(|i| match i.get("name") {
                    Some(Value::String(n)) => n.clone(),
                    _ => value_text(i, l),
                })
                .collect();
            if names.is_empty() {
                l.pick("（空）", "(empty)").to_string()
            } else {
                names.join(l.list_sep())
            }
        }
        Value::Object(_) => v.to_string(),
    }
}

/// `{field: [old, new]}` as lines "书记：张三 → 李四"; nested objects (an organisation's
/// summary) are opened one level.
pub fn changes(detail: &Value, l: Lang) -> Vec<String> {
    let (mut out, mut notes) = (Vec::new(), Vec::new());
    let Some(fields) = detail.as_object() else {
        return out;
    };
    for (key, change) in fields {
        let Some([old, new]) = change.as_array().map(Vec::as_slice) else {
            // A note that came with the move (a reason), not a change.
            if let Some(text) = change.as_str().filter(|t| !t.is_empty()) {
                notes.push(format!("{}{}{text}", field_label(key, l), l.colon()));
            }
            continue;
        };
        if let (Some(o), Some(n)) = (old.as_object(), new.as_object()) {
            for (k, nv) in n {
                let ov = o.get(k).unwrap_or(&Value::Null);
                if ov != nv {
                    out.push(line(k, ov, nv, l));
                }
            }
        } else {
            out.push(line(key, old, new, l));
        }
    }
    out.extend(notes);
    out
}

fn line(key: &str, old: &Value, new: &Value, l: Lang) -> String {
    // Stored codes read as their names.
    let named = |v: &Value| -> String {
        let code = v.as_str().unwrap_or_default();
        let label = match key {
            "status" => TaskStatus::parse(code).map(|s| s.label(l)),
            "phase" => Phase::parse(code).map(|p| p.label(l)),
            "role" => Role::parse(code).map(|r| r.label(l)),
            "level" => OrgLevel::parse(code).map(|o| o.label(l)),
            _ => None,
        };
        label.map_or_else(|| value_text(v, l), str::to_string)
    };
    format!(
        "{}{}{} → {}",
        field_label(key, l),
        l.colon(),
        named(old),
        named(new)
    )
}

/// The sentence: verb, kind and the object's name in 「」 (or, for a restricted record, its
/// kind alone: the record is read on its own page, where the read is logged).
pub fn sentence(e: &AuditEntry, l: Lang) -> (String, Option<String>) {
    let kind = kind_label(&e.object_type, l).to_string();
    let verb = verb(&e.action, l);
    let head = match e.action.as_str() {
        "auth.login" | "auth.logout" | "demo.seed" => verb,
        _ if l == Lang::Zh => format!("{verb}{kind}"),
        _ => format!("{verb} the {kind}"),
    };
    let count = e.detail.get("ids").and_then(Value::as_array).map(Vec::len);
    let name = match (&e.object_name, count) {
        (Some(n), _) => Some(n.clone()),
        (None, Some(n)) => Some(format!("{n}{}", l.pick(" 条", " records"))),
        _ => None,
    };
    (head, name)
}

/// The page an entry's object is read on, if it has one.
pub fn object_href(e: &AuditEntry) -> Option<String> {
    let id = e.object_id.as_deref()?;
    let page = match e.object_type.as_str() {
        "org" => ORGS,
        "round" => ROUNDS,
        "target" => TARGETS,
        "clue" => CLUES,
        "petition" => PETITIONS,
        "referral" => REFERRALS,
        _ => return None,
    };
    Some(href::office_item(page, id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    fn entry(action: &str, kind: &str, name: Option<&str>, detail: Value) -> AuditEntry {
        AuditEntry {
            id: "1".into(),
            at: chrono::Utc::now(),
            actor_id: None,
            actor_name: Some("王建国".into()),
            action: action.into(),
            object_type: kind.into(),
            object_id: Some("o1".into()),
            object_name: name.map(str::to_string),
            detail,
        }
    }

    #[wasm_bindgen_test]
    fn a_secretary_changed_reads_as_a_sentence() {
        let e = entry(
            "org.update",
            "org",
            Some("青石村"),
            serde_json::json!({ "secretary": ["张三", "李四"] }),
        );
        let (head, name) = sentence(&e, Lang::Zh);
        assert_eq!(
            format!("{head}「{}」", name.unwrap()),
            "修改了组织「青石村」"
        );
        assert_eq!(changes(&e.detail, Lang::Zh), ["书记：张三 → 李四"]);
        assert_eq!(changes(&e.detail, Lang::En), ["secretary: 张三 → 李四"]);
        let renamed = serde_json::json!({ "summary": [{ "name": "五里村", "code": "1" }, { "name": "武里村", "code": "1" }] });
        assert_eq!(changes(&renamed, Lang::Zh), ["名称：五里村 → 武里村"]);
        assert_eq!(
            changes(
                &serde_json::json!({ "secretary": [null, "李四"] }),
                Lang::Zh
            ),
            ["书记：（空） → 李四"]
        );
        let moved = serde_json::json!({ "status": ["submitted", "in_progress"], "reason": "缺少凭证", "public_text": "" });
        assert_eq!(
            changes(&moved, Lang::Zh),
            ["状态：已提交 → 整改中", "理由：缺少凭证"]
        );
    }

    #[wasm_bindgen_test]
    fn a_list_read_counts_its_records_and_names_none() {
        let mut e = entry(
            "talk.read",
            "talk",
            None,
            serde_json::json!({ "ids": ["a", "b", "c"], "endpoint": "/api/targets/x/talks" }),
        );
        e.object_id = None;
        let (head, name) = sentence(&e, Lang::Zh);
        assert_eq!(
            (head.as_str(), name.as_deref()),
            ("查阅了谈话记录", Some("3 条"))
        );
        assert_eq!(object_href(&e), None);
    }
}
