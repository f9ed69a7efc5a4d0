use serde::{Deserialize, Serialize};

use crate::validate::{self, Checker};
use crate::{FieldError, Lang, Problem};

/// The four kinds of account (DOMAIN.md "Who uses it").
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 巡察办
    Admin,
    /// 巡察组组长 / 组员
    Inspector,
    /// 纪检监察机关
    Discipline,
    /// 被巡察党组织联络员, bound to one organisation
    Unit,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Inspector, Role::Discipline, Role::Unit];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Inspector => "inspector",
            Role::Discipline => "discipline",
            Role::Unit => "unit",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Role::Admin => lang.pick("巡察办", "Inspection office"),
            Role::Inspector => lang.pick("巡察组", "Inspection team"),
            Role::Discipline => lang.pick("纪检监察机关", "Discipline inspection"),
            Role::Unit => lang.pick("被巡察党组织联络员", "Unit liaison"),
        }
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserView {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_id: Option<String>,
    pub org_name: Option<String>,
    pub active: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 3, max_length = 32, pattern = "^[a-z][a-z0-9_.-]*$")
    )]
    pub username: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 60))]
    pub display_name: String,
    pub role: Role,
    /// Required for a unit liaison, ignored for other roles.
    pub org_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub password: String,
}

impl CreateUser {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = Checker::new();
        c.check("username", validate::username(&self.username))
            .check(
                "display_name",
                validate::required_text(&self.display_name, validate::PERSON_MAX),
            )
            .check("password", validate::new_password(&self.password));
        if self.role == Role::Unit && self.org_id.as_deref().unwrap_or("").is_empty() {
            c.check("org_id", Err(Problem::Required));
        }
        c.finish()
    }
}

/// Changes an admin makes to an account; absent fields stay as they are.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

impl UpdateUser {
    pub fn validate(&self) -> Result<(), FieldError> {
        let mut c = Checker::new();
        if let Some(name) = &self.display_name {
            c.check(
                "display_name",
                validate::required_text(name, validate::PERSON_MAX),
            );
        }
        c.finish()
    }
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub new_password: String,
}

impl ResetPassword {
    pub fn validate(&self) -> Result<(), FieldError> {
        Checker::new()
            .check("new_password", validate::new_password(&self.new_password))
            .finish()
    }
}
