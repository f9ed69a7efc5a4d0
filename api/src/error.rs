//! The one error body of the API: `{code, message, field?, problem?, rows?}`.

use serde::{Deserialize, Serialize};

use crate::Lang;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
/// What kind of failure; the HTTP status follows from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request body could not be read (malformed JSON, wrong content type).
    BadRequest,
    /// A field failed validation; `field` and `problem` say which and why.
    Invalid,
    /// Not signed in, or the session expired.
    Unauthenticated,
    /// Signed in, but this role or organisation may not do that.
    Forbidden,
    NotFound,
    /// The request conflicts with the current state (e.g. a duplicate code).
    Conflict,
    /// Too many failed sign-ins; wait and try again.
    Throttled,
    PayloadTooLarge,
    /// This path does not take that method; the `Allow` header lists the ones it takes.
    MethodNotAllowed,
    /// The server is too busy right now (e.g. many sign-ins at once); retry after a moment.
    Busy,
    Internal,
}

impl ErrorCode {
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::Invalid => 422,
            ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict => 409,
            ErrorCode::Throttled => 429,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Busy => 503,
            ErrorCode::Internal => 500,
        }
    }

    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            ErrorCode::BadRequest => lang.pick("请求格式有误", "The request could not be read"),
            ErrorCode::Invalid => lang.pick("填写内容有误", "Some input is not valid"),
            ErrorCode::Unauthenticated => lang.pick("请先登录", "Please sign in"),
            ErrorCode::Forbidden => lang.pick("无权进行此操作", "You may not do that"),
            ErrorCode::NotFound => lang.pick("未找到", "Not found"),
            ErrorCode::Conflict => lang.pick("与现有数据冲突", "This conflicts with existing data"),
            ErrorCode::Throttled => lang.pick(
                "登录失败次数过多，请稍后再试",
                "Too many failed sign-ins; try again later",
            ),
            ErrorCode::PayloadTooLarge => lang.pick("文件或内容过大", "The upload is too large"),
            ErrorCode::MethodNotAllowed => {
                lang.pick("不支持此请求方法", "This method is not allowed here")
            }
            ErrorCode::Busy => lang.pick(
                "服务器繁忙，请稍后再试",
                "The server is busy; try again shortly",
            ),
            ErrorCode::Internal => lang.pick(
                "服务器内部错误，请稍后再试",
                "Something went wrong on the server; try again later",
            ),
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
/// Why a value was refused. Both sides render it in the user's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    OutOfRange {
        min: i64,
        max: i64,
    },
    /// The value does not have the expected shape (e.g. an administrative code).
    BadFormat {
        expected: String,
    },
    /// Another record already uses this value.
    Taken,
    /// The value names a record that does not exist.
    UnknownReference,
    /// An organisation cannot be placed under itself or its own descendant.
    Cycle,
    /// This level cannot sit under the chosen parent's level.
    WrongParentLevel,
    WrongPassword,
    /// Not one of the allowed values.
    NotAllowed,
    /// Holds control characters (NUL and the like), which no text in this product contains.
    ControlCharacter,
    /// A list longer than one request may carry.
    TooMany {
        max: usize,
    },
    /// A list shorter than the rule asks (two inspectors at a talk).
    TooFew {
        min: usize,
    },
    /// The record changed since the version this edit was made on.
    Stale,
    /// Petitions not yet triaged hold the round in its phase.
    Untriaged {
        count: usize,
    },
}

impl Problem {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Problem::Required, Lang::Zh) => "必填".into(),
            (Problem::Required, Lang::En) => "Required".into(),
            (Problem::TooShort { min }, Lang::Zh) => format!("至少 {min} 个字符"),
            (Problem::TooShort { min }, Lang::En) => format!("At least {min} characters"),
            (Problem::TooLong { max }, Lang::Zh) => format!("不能超过 {max} 个字符"),
            (Problem::TooLong { max }, Lang::En) => format!("At most {max} characters"),
            (Problem::OutOfRange { min, max }, Lang::Zh) => format!("应在 {min} 到 {max} 之间"),
            (Problem::OutOfRange { min, max }, Lang::En) => {
                format!("Must be between {min} and {max}")
            }
            (Problem::BadFormat { expected }, Lang::Zh) => format!("格式不正确（应为{expected}）"),
            (Problem::BadFormat { expected }, Lang::En) => {
                format!("Wrong format (expected {expected})")
            }
            (Problem::Taken, Lang::Zh) => "已被使用".into(),
            (Problem::Taken, Lang::En) => "Already in use".into(),
            (Problem::UnknownReference, Lang::Zh) => "不存在".into(),
            (Problem::UnknownReference, Lang::En) => "Does not exist".into(),
            (Problem::Cycle, Lang::Zh) => "不能移到自身或下级组织之下".into(),
            (Problem::Cycle, Lang::En) => "Cannot move under itself or a descendant".into(),
            (Problem::WrongParentLevel, Lang::Zh) => "上级组织的层级不符".into(),
            (Problem::WrongParentLevel, Lang::En) => "The parent's level does not fit".into(),
            (Problem::WrongPassword, Lang::Zh) => "用户名或密码错误".into(),
            (Problem::WrongPassword, Lang::En) => "Wrong user name or password".into(),
            (Problem::NotAllowed, Lang::Zh) => "不允许的取值".into(),
            (Problem::NotAllowed, Lang::En) => "Not an allowed value".into(),
            (Problem::ControlCharacter, Lang::Zh) => "含有不可见的控制字符".into(),
            (Problem::ControlCharacter, Lang::En) => "Contains control characters".into(),
            (Problem::TooMany { max }, Lang::Zh) => format!("一次最多 {max} 项"),
            (Problem::TooMany { max }, Lang::En) => format!("At most {max} at a time"),
            (Problem::TooFew { min }, Lang::Zh) => format!("至少 {min} 项"),
            (Problem::TooFew { min }, Lang::En) => format!("At least {min}"),
            (Problem::Untriaged { count }, Lang::Zh) => {
                format!("还有 {count} 件信访举报未分办，分办后才能进入下一阶段")
            }
            (Problem::Untriaged { count }, Lang::En) => {
                format!("{count} petitions are not yet triaged; triage them before moving on")
            }
            (Problem::Stale, Lang::Zh) => "他人已修改了这条记录，请查看最新内容后再改".into(),
            (Problem::Stale, Lang::En) => {
                "Someone changed this record meanwhile; look at the latest before editing".into()
            }
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
/// A field at fault and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        FieldError {
            field: field.into(),
            problem,
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
/// One bad row of an imported spreadsheet (rows count from 1, the header being row 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowError {
    pub row: usize,
    pub field: String,
    pub problem: Problem,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
/// The body of every error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    /// A message for the user, in the language the request asked for.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
    /// For an import: every bad row. Nothing was written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowError>,
    /// For throttling: how long to wait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(code: ErrorCode, lang: Lang) -> Self {
        ApiError {
            code,
            message: code.message(lang).to_string(),
            field: None,
            problem: None,
            rows: Vec::new(),
            retry_after_secs: None,
        }
    }

    pub fn invalid(err: &FieldError, lang: Lang) -> Self {
        ApiError {
            message: err.problem.message(lang),
            field: Some(err.field.clone()),
            problem: Some(err.problem.clone()),
            ..ApiError::new(ErrorCode::Invalid, lang)
        }
    }

    /// The message in another language, rebuilt from the codes when the server sent them.
    pub fn message_in(&self, lang: Lang) -> String {
        match &self.problem {
            Some(p) => p.message(lang),
            None if self.code == ErrorCode::Internal || self.rows.is_empty() => {
                self.code.message(lang).to_string()
            }
            None => self.message.clone(),
        }
    }
}
