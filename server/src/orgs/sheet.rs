//! The organisation spreadsheet: offices keep their tree in Excel, so it comes in as .xlsx or
//! .csv (UTF-8 or GB18030, as Excel saves it in China) and goes out as .xlsx.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};
use serde_json::json;
use sqlx::{AnyConnection, Row};
use xuncha_api::orgs::{check_parent, BasicData, CreateOrg, ImportReport, OrgLevel, SHEET_COLUMNS};
use xuncha_api::validate::{self, Checker};
use xuncha_api::{Problem, RowError};

use crate::access::Actor;
use crate::db::Columns;
use crate::db::{self, Tx};
use crate::orgs::store;
use crate::{audit, Error, Result};

/// One data row as read, before it is checked. `row` counts from 1 with the header as row 1.
#[derive(Debug, Clone)]
struct SheetRow {
    row: usize,
    cells: HashMap<&'static str, String>,
}

impl SheetRow {
    fn get(&self, key: &str) -> &str {
        self.cells.get(key).map(|s| s.trim()).unwrap_or("")
    }
}

/// Reads the cells of the first sheet (xlsx) or the whole file (csv) as text.
fn read_cells(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    if bytes.starts_with(b"PK\x03\x04") {
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec()))
            .map_err(|e| Error::BadRequest(format!("xlsx: {e}")))?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(|| Error::BadRequest("xlsx: no sheet".into()))?
            .map_err(|e| Error::BadRequest(format!("xlsx: {e}")))?;
        return Ok(range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect());
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}').to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            r.map(|rec| rec.iter().map(str::to_string).collect())
                .map_err(|e| Error::BadRequest(format!("csv: {e}")))
        })
        .collect()
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        // Codes typed into Excel come back as numbers; 12 digits must not become 3.3e11.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

fn parse_rows(cells: Vec<Vec<String>>) -> Result<Vec<SheetRow>> {
    let mut lines = cells.into_iter();
    let header = lines
        .next()
        .ok_or_else(|| Error::BadRequest("empty file".into()))?;
    let mut columns: Vec<Option<&'static str>> = Vec::new();
    for h in &header {
        let h = h.trim();
        columns.push(
            SHEET_COLUMNS
                .iter()
                .find(|(key, label)| {
                    h == *key
                        || h == *label
                        || h.starts_with(label.split('（').next().unwrap_or(label))
                })
                .map(|(key, _)| *key),
        );
    }
    for required in ["code", "name", "level"] {
        if !columns.contains(&Some(required)) {
            return Err(Error::BadRows(vec![RowError {
                row: 1,
                field: required.into(),
                problem: Problem::Required,
            }]));
        }
    }
    Ok(lines
        .enumerate()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, cells)| SheetRow {
            row: i + 2,
            cells: columns
                .iter()
                .zip(cells)
                .filter_map(|(col, value)| col.map(|c| (c, value)))
                .collect(),
        })
        .collect())
}

fn number(row: &SheetRow, key: &str, errors: &mut Vec<RowError>) -> Option<f64> {
    let text = row.get(key).replace(',', "");
    if text.is_empty() {
        return None;
    }
    match text.parse::<f64>() {
        Ok(v) => Some(v),
        Err(_) => {
            errors.push(RowError {
                row: row.row,
                field: key.into(),
                problem: Problem::BadFormat {
                    expected: "数字".into(),
                },
            });
            None
        }
    }
}

/// A row turned into what it will write, with its parent's code.
struct Planned {
    row: usize,
    parent_code: Option<String>,
    org: CreateOrg,
}

fn plan_row(row: &SheetRow, errors: &mut Vec<RowError>) -> Option<Planned> {
    let before = errors.len();
    let level = OrgLevel::from_label(row.get("level"));
    if level.is_none() {
        let problem = if row.get("level").is_empty() {
            Problem::Required
        } else {
            Problem::NotAllowed
        };
        errors.push(RowError {
            row: row.row,
            field: "level".into(),
            problem,
        });
    }
    let count =
        |key: &str, errors: &mut Vec<RowError>| number(row, key, errors).map(|v| v.round() as i64);
    let basic = BasicData {
        households: count("households", errors),
        population: count("population", errors),
        party_members: count("party_members", errors),
        collective_income: number(row, "collective_income", errors),
        collective_assets: number(row, "collective_assets", errors),
    };
    let mut c = Checker::new();
    c.check("code", validate::org_code(row.get("code")))
        .check(
            "name",
            validate::required_text(row.get("name"), validate::NAME_MAX),
        )
        .check(
            "secretary",
            validate::optional_text(row.get("secretary"), validate::PERSON_MAX),
        );
    basic.validate(&mut c);
    errors.extend(c.errors.into_iter().map(|e| RowError {
        row: row.row,
        field: e.field,
        problem: e.problem,
    }));
    if errors.len() > before {
        return None;
    }
    let parent_code = Some(row.get("parent_code").to_string()).filter(|s| !s.is_empty());
    Some(Planned {
        row: row.row,
        parent_code,
        org: CreateOrg {
            parent_id: None,
            name: row.get("name").to_string(),
            code: row.get("code").to_string(),
            level: level?,
            secretary: row.get("secretary").to_string(),
            basic,
        },
    })
}

struct Existing {
    id: String,
    level: OrgLevel,
    parent_id: Option<String>,
}

/// Checks every row against the file and the database; writes all rows or none.
pub async fn import(tx: &mut Tx<'_>, actor: &Actor, bytes: &[u8]) -> Result<ImportReport> {
    actor.require_admin()?;
    let rows = parse_rows(read_cells(bytes)?)?;
    if rows.is_empty() {
        return Err(Error::BadRows(vec![RowError {
            row: 2,
            field: "code".into(),
            problem: Problem::Required,
        }]));
    }
    let mut errors = Vec::new();
    let mut planned: Vec<Planned> = rows
        .iter()
        .filter_map(|r| plan_row(r, &mut errors))
        .collect();

    let mut existing: HashMap<String, Existing> = HashMap::new();
    let mut code_of_id: HashMap<String, String> = HashMap::new();
    for r in sqlx::query("SELECT id, code, level, parent_id FROM orgs")
        .fetch_all(&mut **tx)
        .await?
    {
        let code: String = r.try_get("code")?;
        let id: String = r.try_get("id")?;
        code_of_id.insert(id.clone(), code.clone());
        existing.insert(
            code,
            Existing {
                id,
                level: r.enumerated("level", OrgLevel::parse)?,
                parent_id: r.try_get("parent_id")?,
            },
        );
    }

    // The tree as it will be: code → (level, parent code), the file overriding the database.
    let mut seen = HashSet::new();
    let mut final_tree: HashMap<String, (OrgLevel, Option<String>)> = existing
        .iter()
        .map(|(code, e)| {
            (
                code.clone(),
                (
                    e.level,
                    e.parent_id
                        .as_ref()
                        .and_then(|p| code_of_id.get(p).cloned()),
                ),
            )
        })
        .collect();
    for p in &planned {
        if !seen.insert(p.org.code.clone()) {
            errors.push(RowError {
                row: p.row,
                field: "code".into(),
                problem: Problem::Taken,
            });
        }
        final_tree.insert(p.org.code.clone(), (p.org.level, p.parent_code.clone()));
    }
    for p in &planned {
        let parent_level = match &p.parent_code {
            None => None,
            Some(pc) => match final_tree.get(pc) {
                Some((level, _)) => Some(*level),
                None => {
                    errors.push(RowError {
                        row: p.row,
                        field: "parent_code".into(),
                        problem: Problem::UnknownReference,
                    });
                    continue;
                }
            },
        };
        if let Err(problem) = check_parent(p.org.level, parent_level) {
            errors.push(RowError {
                row: p.row,
                field: "parent_code".into(),
                problem,
            });
            continue;
        }
        // Following parents from here must end at a root, not come back.
        let mut cursor = p.parent_code.clone();
        let mut steps = 0;
        while let Some(c) = cursor {
            steps += 1;
            if c == p.org.code || steps > final_tree.len() {
                errors.push(RowError {
                    row: p.row,
                    field: "parent_code".into(),
                    problem: Problem::Cycle,
                });
                break;
            }
            cursor = final_tree.get(&c).and_then(|(_, parent)| parent.clone());
        }
    }
    if !errors.is_empty() {
        errors.sort_by(|a, b| a.row.cmp(&b.row).then_with(|| a.field.cmp(&b.field)));
        return Err(Error::BadRows(errors));
    }

    // Parents first: order by depth in the final tree.
    let depth = |code: &str| {
        let mut d = 0;
        let mut cursor = final_tree.get(code).and_then(|(_, p)| p.clone());
        while let Some(c) = cursor {
            d += 1;
            cursor = final_tree.get(&c).and_then(|(_, p)| p.clone());
        }
        d
    };
    planned.sort_by_key(|p| depth(&p.org.code));

    let mut ids: HashMap<String, String> = existing
        .iter()
        .map(|(c, e)| (c.clone(), e.id.clone()))
        .collect();
    let mut report = ImportReport {
        created: 0,
        updated: 0,
    };
    let now = db::ts(db::now());
    for mut p in planned {
        p.org.parent_id = p.parent_code.as_ref().and_then(|pc| ids.get(pc).cloned());
        if let Some(old) = existing.get(&p.org.code) {
            sqlx::query(
                "UPDATE orgs SET name = $1, initials = $2, level = $3, parent_id = $4, secretary = $5, \
                   households = $6, population = $7, party_members = $8, collective_income_yuan = $9, \
                   collective_assets_yuan = $10, updated_at = $11 WHERE id = $12",
            )
            .bind(p.org.name.trim())
            .bind(store::initials(p.org.name.trim()))
            .bind(p.org.level.as_str())
            .bind(&p.org.parent_id)
            .bind(p.org.secretary.trim())
            .bind(p.org.basic.households)
            .bind(p.org.basic.population)
            .bind(p.org.basic.party_members)
            .bind(store::to_yuan(p.org.basic.collective_income))
            .bind(store::to_yuan(p.org.basic.collective_assets))
            .bind(&now)
            .bind(&old.id)
            .execute(&mut **tx)
            .await?;
            audit::record(
                tx,
                Some(actor),
                "org.import_update",
                "org",
                Some(&old.id),
                json!({ "row": p.row, "org": p.org }),
            );
            report.updated += 1;
        } else {
            let id = db::new_id();
            store::insert(tx, &id, &p.org).await?;
            audit::record(
                tx,
                Some(actor),
                "org.import_create",
                "org",
                Some(&id),
                json!({ "row": p.row, "org": p.org }),
            );
            ids.insert(p.org.code.clone(), id);
            report.created += 1;
        }
    }
    Ok(report)
}

/// The whole tree in the import format, parents before children.
pub async fn export(conn: &mut AnyConnection, actor: &Actor) -> Result<Vec<u8>> {
    actor.require_admin()?;
    let rows = sqlx::query(
        "SELECT o.code, o.name, o.level, p.code AS parent_code, o.secretary, o.households, o.population, \
           o.party_members, o.collective_income_yuan, o.collective_assets_yuan \
         FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id ORDER BY o.code",
    )
    .fetch_all(conn)
    .await?;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let xlsx = |e: rust_xlsxwriter::XlsxError| Error::Internal(anyhow::anyhow!(e));
    sheet.set_name("组织").map_err(xlsx)?;
    let bold = Format::new().set_bold();
    for (col, (_, label)) in SHEET_COLUMNS.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *label, &bold)
            .map_err(xlsx)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let line = (i + 1) as u32;
        let level = r.enumerated("level", OrgLevel::parse)?;
        let texts = [
            r.try_get::<String, _>("code")?,
            r.try_get::<String, _>("name")?,
            level.label(xuncha_api::Lang::Zh).to_string(),
            r.try_get::<Option<String>, _>("parent_code")?
                .unwrap_or_default(),
            r.try_get::<String, _>("secretary")?,
        ];
        for (col, t) in texts.iter().enumerate() {
            sheet.write_string(line, col as u16, t).map_err(xlsx)?;
        }
        let numbers = [
            r.try_get::<Option<i64>, _>("households")?.map(|v| v as f64),
            r.try_get::<Option<i64>, _>("population")?.map(|v| v as f64),
            r.try_get::<Option<i64>, _>("party_members")?
                .map(|v| v as f64),
            store::from_yuan(r.try_get("collective_income_yuan")?),
            store::from_yuan(r.try_get("collective_assets_yuan")?),
        ];
        for (k, n) in numbers.iter().enumerate() {
            if let Some(n) = n {
                sheet
                    .write_number(line, (texts.len() + k) as u16, *n)
                    .map_err(xlsx)?;
            }
        }
    }
    sheet.set_column_width(1, 24).map_err(xlsx)?;
    sheet.set_column_width(0, 20).map_err(xlsx)?;
    book.save_to_buffer().map_err(xlsx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_chinese_headers_and_skips_blank_lines() {
        let csv =
            "行政区划代码,名称,层级,上级代码,户数\n990101101201,青石村,村,990101101000,320\n,,,,\n";
        let rows = parse_rows(read_cells(csv.as_bytes()).unwrap()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].row, 2);
        assert_eq!(rows[0].get("name"), "青石村");
        assert_eq!(rows[0].get("households"), "320");
    }

    #[test]
    fn reads_gb18030_csv() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("code,name,level\n990101,青岚县,县\n");
        let rows = parse_rows(read_cells(&bytes).unwrap()).unwrap();
        assert_eq!(rows[0].get("name"), "青岚县");
    }

    #[test]
    fn bad_numbers_name_the_row_and_field() {
        let csv = "code,name,level,households\n990101101201,青石村,村,many\n";
        let rows = parse_rows(read_cells(csv.as_bytes()).unwrap()).unwrap();
        let mut errors = Vec::new();
        assert!(plan_row(&rows[0], &mut errors).is_none());
        assert_eq!(errors[0].row, 2);
        assert_eq!(errors[0].field, "households");
    }
}
