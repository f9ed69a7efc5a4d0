//! What `xuncha-server <command>` does instead of serving.

use xuncha_api::audit::{AuditBreakKind, AuditCheck, AuditCheckpoint};

use crate::audit::chain;
use crate::config::{AuditCommand, Command, Config};
use crate::db::Db;
use crate::operations::{backup, to_postgres};

/// Runs a command and returns the process's exit code.
pub async fn run(config: &Config, command: &Command) -> anyhow::Result<i32> {
    let files = config.files_folder();
    if let Command::Restore { dir, replace } = command {
        // Nothing is opened first: opening would create the database being replaced.
        let restored = backup::restore(&config.database_url, &files, dir, *replace).await?;
        println!("restored {}", restored.summary());
        return Ok(0);
    }
    let db = Db::open(&config.database_url, &files).await?;
    db.migrate().await?;
    match command {
        Command::Restore { .. } => unreachable!("handled above"),
        Command::Backup { dir } => {
            let copied = backup::backup(&db, &files, dir).await?;
            println!("backed up {}", copied.summary());
            Ok(0)
        }
        Command::MigrateTo { url } => {
            let target = Db::open(url, &files).await?;
            target.migrate().await?;
            let moved = to_postgres::copy(&db, &target).await?;
            for (table, sqlite, postgres) in &moved.tables {
                let mark = if sqlite == postgres {
                    ""
                } else {
                    "  <- differs"
                };
                println!("{table:<32} {sqlite:>10} {postgres:>10}{mark}");
            }
            if !moved.matches() {
                println!("the copy differs from the original: keep serving from SQLite");
                return Ok(1);
            }
            println!(
                "copied; audit log intact on PostgreSQL ({} entries). Start the server with \
                 DATABASE_URL={url} and XUNCHA_FILES={}",
                moved.audit_entries,
                files.display()
            );
            Ok(0)
        }
        Command::Audit { action } => match action {
            AuditCommand::Checkpoint => {
                let head = chain::checkpoint(&db).await?;
                println!("{head}");
                Ok(0)
            }
            AuditCommand::Verify { checkpoint } => {
                let written_down = match checkpoint {
                    Some(text) => Some(AuditCheckpoint::parse(text).ok_or_else(|| {
                        anyhow::anyhow!("--checkpoint: expected seq:hash (64 hex digits)")
                    })?),
                    None => None,
                };
                let check = chain::verify(&db, written_down.as_ref()).await?;
                println!("{}", report(&check));
                Ok(if check.broken.is_some() { 1 } else { 0 })
            }
        },
    }
}

/// One line for a person reading a terminal (or a log).
pub fn report(check: &AuditCheck) -> String {
    let Some(b) = &check.broken else {
        return format!(
            "audit log intact: {} entries, head {}",
            check.entries, check.head
        );
    };
    let entry = b.entry_id.as_deref().unwrap_or("-");
    let what = match b.kind {
        AuditBreakKind::Altered => "was changed (its content no longer matches its hash)",
        AuditBreakKind::Unlinked => "does not link to the entry before it",
        AuditBreakKind::Missing => "is missing (deleted)",
        AuditBreakKind::Head => "is the head, which does not match the last entry",
        AuditBreakKind::Checkpoint => "does not match the checkpoint written down",
        AuditBreakKind::Outside => "is outside the chain (added behind the system's back)",
    };
    format!("audit log BROKEN: entry #{} (id {entry}) {what}", b.seq)
}
