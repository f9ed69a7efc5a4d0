//! Validation rules applied by the client before sending and by the server on arrival.

use crate::{FieldError, Problem};

pub const NAME_MAX: usize = 60;
pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 32;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;
pub const PERSON_MAX: usize = 30;

/// Collects every field error of a request instead of stopping at the first.
#[derive(Debug, Default)]
pub struct Checker {
    pub errors: Vec<FieldError>,
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn check(&mut self, field: &str, result: Result<(), Problem>) -> &mut Self {
        if let Err(problem) = result {
            self.errors.push(FieldError::new(field, problem));
        }
        self
    }

    /// The first error, which is the one the server reports.
    pub fn finish(&mut self) -> Result<(), FieldError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors.remove(0))
        }
    }
}

pub fn required_text(value: &str, max: usize) -> Result<(), Problem> {
    let len = value.trim().chars().count();
    if len == 0 {
        Err(Problem::Required)
    } else if len > max {
        Err(Problem::TooLong { max })
    } else {
        Ok(())
    }
}

pub fn optional_text(value: &str, max: usize) -> Result<(), Problem> {
    if value.trim().chars().count() > max {
        Err(Problem::TooLong { max })
    } else {
        Ok(())
    }
}

pub fn username(value: &str) -> Result<(), Problem> {
    let len = value.chars().count();
    if len == 0 {
        return Err(Problem::Required);
    }
    if len < USERNAME_MIN {
        return Err(Problem::TooShort { min: USERNAME_MIN });
    }
    if len > USERNAME_MAX {
        return Err(Problem::TooLong { max: USERNAME_MAX });
    }
    let ok = value
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.' || c == '-');
    if !ok || !value.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(Problem::BadFormat {
            expected: "a-z 0-9 _ . -".into(),
        });
    }
    Ok(())
}

pub fn new_password(value: &str) -> Result<(), Problem> {
    let len = value.chars().count();
    if len == 0 {
        return Err(Problem::Required);
    }
    if len < PASSWORD_MIN {
        return Err(Problem::TooShort { min: PASSWORD_MIN });
    }
    if len > PASSWORD_MAX {
        return Err(Problem::TooLong { max: PASSWORD_MAX });
    }
    Ok(())
}

/// Administrative division codes (12 digits for villages) or unified social credit codes
/// (18 characters) for departments and enterprises.
pub fn org_code(value: &str) -> Result<(), Problem> {
    if value.is_empty() {
        return Err(Problem::Required);
    }
    let ok = (6..=18).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
    if ok {
        Ok(())
    } else {
        Err(Problem::BadFormat {
            expected: "6–18 位数字或大写字母".into(),
        })
    }
}

pub fn count(value: Option<i64>, max: i64) -> Result<(), Problem> {
    match value {
        Some(v) if !(0..=max).contains(&v) => Err(Problem::OutOfRange { min: 0, max }),
        _ => Ok(()),
    }
}

/// Money in 万元 (ten thousand yuan).
pub fn amount(value: Option<f64>, max: i64) -> Result<(), Problem> {
    match value {
        Some(v) if !v.is_finite() || v < 0.0 || v > max as f64 => {
            Err(Problem::OutOfRange { min: 0, max })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(username("wang.li").is_ok());
        assert_eq!(username(""), Err(Problem::Required));
        assert_eq!(username("ab"), Err(Problem::TooShort { min: 3 }));
        assert!(matches!(username("Wang"), Err(Problem::BadFormat { .. })));
        assert!(matches!(username("1abc"), Err(Problem::BadFormat { .. })));
    }

    #[test]
    fn codes() {
        assert!(org_code("330122101201").is_ok());
        assert!(org_code("91330122MA2XXXXXX1").is_ok());
        assert!(org_code("12345").is_err());
        assert!(org_code("33012a").is_err());
    }

    #[test]
    fn text_lengths_count_characters_not_bytes() {
        assert!(required_text(&"村".repeat(NAME_MAX), NAME_MAX).is_ok());
        assert_eq!(
            required_text(&"村".repeat(NAME_MAX + 1), NAME_MAX),
            Err(Problem::TooLong { max: NAME_MAX })
        );
        assert_eq!(required_text("  ", NAME_MAX), Err(Problem::Required));
    }

    #[test]
    fn numbers() {
        assert!(count(None, 10).is_ok());
        assert!(count(Some(-1), 10).is_err());
        assert!(amount(Some(f64::NAN), 10).is_err());
        assert!(amount(Some(3.5), 10).is_ok());
    }
}
