use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One line of the append-only audit log.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: String,
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    /// e.g. `org.create`, `user.disable`, `auth.login`
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    /// The object's name as it is now (an organisation's, a round's, a user's), for reading the
    /// log in words. Never for restricted records (talks, clues, petitions): their contents are
    /// read on their own pages, where the read is logged.
    #[serde(default)]
    pub object_name: Option<String>,
    /// What changed, as `{field: [old, new]}` or the created object.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub detail: serde_json::Value,
}

/// Filters for browsing the log; newest first, paged by `before` (an entry id).
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// From this day on, in China Standard Time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<chrono::NaiveDate>,
    /// Up to and including this day, in China Standard Time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<chrono::NaiveDate>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next, older page.
    pub next_before: Option<String>,
}

/// The chain's head: the number of entries and the last one's hash. Written down outside the
/// system (printed, signed), it can be checked later against the log.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditCheckpoint {
    pub seq: i64,
    pub hash: String,
}

impl AuditCheckpoint {
    /// `seq:hash`, as printed.
    pub fn parse(text: &str) -> Option<AuditCheckpoint> {
        let (seq, hash) = text.trim().split_once(':')?;
        let hash = hash.trim().to_ascii_lowercase();
        let hex = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
        Some(AuditCheckpoint {
            seq: seq.trim().parse().ok().filter(|s: &i64| *s >= 0)?,
            hash: hex.then_some(hash)?,
        })
    }
}

impl std::fmt::Display for AuditCheckpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

/// How the chain is broken.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditBreakKind {
    /// The entry's content no longer matches its hash: it was changed.
    Altered,
    /// The entry does not link to the one before it: something before it was replaced.
    Unlinked,
    /// No entry holds this place: it was deleted.
    Missing,
    /// The head does not match the last entry: entries at the end were removed or replaced.
    Head,
    /// The entry at a checkpoint written down earlier has another hash now: the chain was
    /// rewritten from there on.
    Checkpoint,
    /// An entry outside the chain (no place in it): added behind the system's back.
    Outside,
}

/// The first place where the chain does not hold.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditBreak {
    pub kind: AuditBreakKind,
    /// The entry's place in the chain (0 for one outside it).
    pub seq: i64,
    pub entry_id: Option<String>,
}

/// The result of walking the chain.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditCheck {
    pub entries: i64,
    pub head: AuditCheckpoint,
    /// `None`: every entry matches.
    pub broken: Option<AuditBreak>,
}

/// A checkpoint to check along, as `seq:hash`.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditVerifyQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<String>,
}

/// One read of a restricted record: who, when, through which request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadEntry {
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    /// e.g. `GET /api/talks/{id}`
    pub endpoint: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_reads_back_what_it_prints() {
        let c = AuditCheckpoint {
            seq: 42,
            hash: "ab".repeat(32),
        };
        assert_eq!(AuditCheckpoint::parse(&c.to_string()), Some(c.clone()));
        assert_eq!(
            AuditCheckpoint::parse(&format!(" 42 : {} ", "AB".repeat(32))),
            Some(c)
        );
        for bad in ["", "42", "x:ab", "-1:ab", &format!("4:{}", "g".repeat(64))] {
            assert_eq!(AuditCheckpoint::parse(bad), None, "{bad}");
        }
    }
}
