//! Validation rules applied by the client before sending and by the server on arrival.

use crate::{FieldError, Problem};

pub const NAME_MAX: usize = 60;
pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 32;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;
pub const PERSON_MAX: usize = 30;

/// How many entries one request may carry, far above what the work needs: organisations
/// assigned as targets at once (a county has a few hundred), members of one team, a
/// leadership team, tasks made from one target's findings.
pub const TARGETS_MAX: usize = 2000;
pub const TEAM_MAX: usize = 50;
pub const LEADERS_MAX: usize = 50;
pub const TASKS_MAX: usize = 200;

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

/// Characters that show nothing: a text made only of these (and spaces) is empty.
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{3164}' | '\u{FFA0}'
        )
}

pub fn required_text(value: &str, max: usize) -> Result<(), Problem> {
    let len = value.trim().chars().count();
    if len == 0 || value.chars().all(invisible) {
        Err(Problem::Required)
    } else if len > max {
        Err(Problem::TooLong { max })
    } else {
        no_control(value)
    }
}

pub fn optional_text(value: &str, max: usize) -> Result<(), Problem> {
    if value.trim().chars().count() > max {
        Err(Problem::TooLong { max })
    } else {
        no_control(value)
    }
}

/// No text in this product holds control characters: NUL breaks PostgreSQL text and the rest
/// hide what a record says. Line breaks and tabs are text.
pub fn no_control(value: &str) -> Result<(), Problem> {
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        Err(Problem::ControlCharacter)
    } else {
        Ok(())
    }
}

/// The longest id a device may make (a UUID is 36).
pub const CLIENT_ID_MAX: usize = 64;

/// An id made on a device for something it sends (a change, a report, a photo, a finding), so
/// that a re-send is recognised: letters, digits, `-` and `_`, at most 64.
pub fn client_id(value: &str) -> Result<(), Problem> {
    if value.is_empty() {
        return Err(Problem::Required);
    }
    if value.len() > CLIENT_ID_MAX {
        return Err(Problem::TooLong { max: CLIENT_ID_MAX });
    }
    if value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Ok(())
    } else {
        Err(Problem::BadFormat {
            expected: "A-Z a-z 0-9 - _".into(),
        })
    }
}

/// At most `max` entries in one request.
pub fn at_most<T>(list: &[T], max: usize) -> Result<(), Problem> {
    if list.len() > max {
        Err(Problem::TooMany { max })
    } else {
        Ok(())
    }
}

pub const YEAR_MIN: i32 = 1900;
pub const YEAR_MAX: i32 = 2200;

/// Dates a record can carry. chrono reads `+10000-01-01` and `-0100-01-01`, which would be
/// stored as text that sorts wrongly and break every range check.
pub fn date(value: chrono::NaiveDate) -> Result<(), Problem> {
    use chrono::Datelike;
    if (YEAR_MIN..=YEAR_MAX).contains(&value.year()) {
        Ok(())
    } else {
        Err(Problem::OutOfRange {
            min: YEAR_MIN as i64,
            max: YEAR_MAX as i64,
        })
    }
}

/// What serde reports for a date outside [`date`]'s range; the server turns it back into
/// [`Problem::OutOfRange`] on the field.
pub const DATE_RANGE_MESSAGE: &str = "date outside years 1900-2200";

/// `#[serde(deserialize_with = "validate::de_date")]` on every date a request carries.
pub fn de_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<chrono::NaiveDate, D::Error> {
    let value = <chrono::NaiveDate as serde::Deserialize>::deserialize(d)?;
    date(value).map_err(|_| serde::de::Error::custom(DATE_RANGE_MESSAGE))?;
    Ok(value)
}

/// The same for an optional date.
pub fn de_opt_date<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<chrono::NaiveDate>, D::Error> {
    let value = <Option<chrono::NaiveDate> as serde::Deserialize>::deserialize(d)?;
    if let Some(v) = value {
        date(v).map_err(|_| serde::de::Error::custom(DATE_RANGE_MESSAGE))?;
    }
    Ok(value)
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
    fn invisible_text_is_empty_and_control_characters_are_refused() {
        assert_eq!(
            required_text("\u{200B}\u{FEFF} ", 10),
            Err(Problem::Required)
        );
        assert_eq!(required_text("\u{3000}", 10), Err(Problem::Required));
        assert!(required_text("村\u{200B}", 10).is_ok());
        assert_eq!(no_control("a\u{0}b"), Err(Problem::ControlCharacter));
        assert_eq!(no_control("a\u{1b}b"), Err(Problem::ControlCharacter));
        assert!(no_control("第一行\n第二行\t").is_ok());
    }

    #[test]
    fn client_ids_and_dates() {
        assert!(client_id("0192f0c8-3b1a-7c2e-9f00-aa11bb22cc33").is_ok());
        assert!(client_id("p-1").is_ok());
        assert_eq!(client_id(""), Err(Problem::Required));
        assert!(matches!(client_id("a/b"), Err(Problem::BadFormat { .. })));
        assert!(matches!(
            client_id(&"a".repeat(65)),
            Err(Problem::TooLong { .. })
        ));
        let d = |y| chrono::NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
        assert!(date(d(1900)).is_ok() && date(d(2200)).is_ok());
        assert!(date(d(1899)).is_err() && date(d(2201)).is_err() && date(d(-100)).is_err());
        let parsed: Result<Wrap, _> = serde_json::from_str(r#"{"d": "+10000-01-01"}"#);
        assert!(parsed.unwrap_err().to_string().contains(DATE_RANGE_MESSAGE));
        let parsed: Wrap = serde_json::from_str(r#"{"d": "2026-12-01"}"#).unwrap();
        assert_eq!(parsed.d, d(2026).with_month(12).unwrap());
    }

    use chrono::Datelike;

    #[derive(Debug, serde::Deserialize)]
    struct Wrap {
        #[serde(deserialize_with = "de_date")]
        d: chrono::NaiveDate,
    }

    #[test]
    fn numbers() {
        assert!(count(None, 10).is_ok());
        assert!(count(Some(-1), 10).is_err());
        assert!(amount(Some(f64::NAN), 10).is_err());
        assert!(amount(Some(3.5), 10).is_ok());
    }
}
