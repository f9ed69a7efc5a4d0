use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::users::UserView;
use crate::validate::{self, Checker};
use crate::FieldError;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub username: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 256))]
    pub password: String,
}

impl LoginRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        Checker::new()
            .check("username", validate::required_text(&self.username, 64))
            .check("password", validate::required_text(&self.password, 256))
            .finish()
    }
}

/// Who is signed in and until when.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: UserView,
    pub expires_at: DateTime<Utc>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 256))]
    pub old_password: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub new_password: String,
}

impl ChangePassword {
    pub fn validate(&self) -> Result<(), FieldError> {
        Checker::new()
            .check(
                "old_password",
                validate::required_text(&self.old_password, 256),
            )
            .check("new_password", validate::new_password(&self.new_password))
            .finish()
    }
}
