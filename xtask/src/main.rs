//! `cargo xtask run | test | size`: everything a fresh Debian machine needs, in one place.

mod client;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use tools::{root, step, Env};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("size") => size(),
        Some("bench") => bench(),
        Some("build") => Env::prepare().and_then(|env| {
            env.ensure_client_tools()?;
            build_client(&env, true)
        }),
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n\
                 run            install what is missing, build, start http://127.0.0.1:8080 with demo data\n\
                 test           fmt, clippy, native tests (SQLite), wasm tests, end-to-end tests\n\
                   --with-postgres  also start a throwaway PostgreSQL and run the server suite on it\n\
                 size           bundle bytes of the client (raw, gzip, brotli)\n\
                 bench          province queries on SQLite and PostgreSQL; phone bytes and drawing times\n\
                 build          build the client into dist/"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T = ()> = std::result::Result<T, String>;

/// Builds both client bundles unless `dist/` is newer than every source.
fn build_client(env: &Env, force: bool) -> Result {
    if !force && client::outputs().iter().all(|p| is_newer_than_sources(p)) {
        step("client is up to date (dist/)");
        return Ok(());
    }
    client::build(env)
}

fn is_newer_than_sources(built: &Path) -> bool {
    let Ok(built_at) = built.metadata().and_then(|m| m.modified()) else {
        return false;
    };
    let r = root();
    let sources = [
        "src",
        "style",
        "public",
        "api/src",
        "index.html",
        "office.html",
        "xtask/src",
        "Cargo.lock",
        "Cargo.toml",
    ];
    !sources
        .iter()
        .any(|s| newest(&r.join(s)).is_some_and(|t| t > built_at))
}

fn newest(path: &Path) -> Option<std::time::SystemTime> {
    let meta = path.metadata().ok()?;
    if meta.is_file() {
        return meta.modified().ok();
    }
    std::fs::read_dir(path)
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| newest(&e.path()))
        .max()
}

fn run(extra: &[String]) -> Result {
    let env = Env::prepare()?;
    env.ensure_client_tools()?;
    build_client(&env, false)?;
    step("building the server (release)");
    env.run(Command::new("cargo").args(["build", "--release", "-p", "xuncha-server"]))?;
    step("starting the server (Ctrl-C stops it)");
    let server = root().join("target/release/xuncha-server");
    let mut cmd = Command::new(server);
    cmd.current_dir(root()).arg("--demo").args(extra);
    if std::env::var("DATABASE_URL").is_err() {
        cmd.env("DATABASE_URL", "sqlite://data/xuncha.db");
    }
    env.run(&mut cmd)
}

fn test(args: &[String]) -> Result {
    let started = Instant::now();
    let with_postgres = args.iter().any(|a| a == "--with-postgres");
    let env = Env::prepare()?;
    env.ensure_client_tools()?;
    env.ensure_browser()?;
    let mut tally = tools::Tally::default();
    let _postgres = if with_postgres {
        Some(tools::Postgres::start(&env)?)
    } else {
        None
    };

    step("cargo fmt --check");
    env.run(Command::new("cargo").args(["fmt", "--all", "--", "--check"]))?;
    step("clippy (server, shared crate, tools, tests)");
    env.run(Command::new("cargo").args([
        "clippy",
        "--workspace",
        "--exclude",
        "xuncha-web",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    step("clippy (browser client, wasm32)");
    // Both apps, then the field app as the baseline engines get it (without its split points).
    for which in [
        &["--all-targets"][..],
        &["--features", "baseline", "--bin", "xuncha-web"],
    ] {
        env.run(
            Command::new("cargo")
                .args([
                    "clippy",
                    "-p",
                    "xuncha-web",
                    "--target",
                    "wasm32-unknown-unknown",
                ])
                .args(which)
                .args(["--", "-D", "warnings"]),
        )?;
    }

    step("native tests on SQLite (shared crate, server, tools)");
    let mut native = Command::new("cargo");
    native
        .args([
            "test",
            "--workspace",
            "--exclude",
            "xuncha-web",
            "--exclude",
            "xuncha-e2e",
        ])
        .env_remove(tools::PG_TEST_ENV);
    env.run_tests(&mut native, &mut tally)?;

    step("the OpenAPI document, checked by openapi-spec-validator");
    let validator = env.ensure_openapi_validator()?;
    let doc = root().join("target/openapi.json");
    let printed = Command::new("cargo")
        .args([
            "run",
            "--quiet",
            "-p",
            "xuncha-server",
            "--",
            "--print-openapi",
        ])
        .current_dir(root())
        .output()
        .map_err(|e| e.to_string())?;
    if !printed.status.success() {
        return Err("xuncha-server --print-openapi failed".into());
    }
    std::fs::write(&doc, &printed.stdout).map_err(|e| e.to_string())?;
    env.run(Command::new(validator).arg(&doc))
        .map_err(|e| format!("the OpenAPI document is not valid: {e}"))?;
    tally.passed += 1;

    if let Some(url) = env.postgres_url() {
        step("server tests again on PostgreSQL");
        let mut pg = Command::new("cargo");
        pg.args(["test", "-p", "xuncha-server"])
            .env(tools::PG_TEST_ENV, &url);
        env.run_tests(&mut pg, &mut tally)?;
    } else {
        step("PostgreSQL: skipped (pass --with-postgres or set XUNCHA_TEST_POSTGRES)");
    }

    step("wasm tests in headless Chromium");
    let mut wasm = Command::new("cargo");
    wasm.args([
        "test",
        "-p",
        "xuncha-web",
        "--target",
        "wasm32-unknown-unknown",
    ])
    .env("CHROMEDRIVER", tools::CHROMEDRIVER)
    .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    env.run_tests(&mut wasm, &mut tally)?;

    build_client(&env, false)?;
    step("the village-phone budget: bytes of the field app's first visit");
    budget()?;
    tally.passed += 1;
    step("end-to-end tests in headless Chromium");
    let mut e2e = Command::new("cargo");
    e2e.args(["test", "-p", "xuncha-e2e"])
        .env_remove(tools::PG_TEST_ENV);
    env.run_tests(&mut e2e, &mut tally)?;

    step(&format!("all checks passed in {:.0?}", started.elapsed()));
    println!("{} passed, {} failed", tally.passed, tally.failed);
    Ok(())
}

/// Figures, never timed tests: the ledger at province scale, then the phone in Chromium.
fn bench() -> Result {
    let env = Env::prepare()?;
    let postgres = tools::Postgres::start(&env)?;
    step("the province's queries on SQLite and on PostgreSQL (release build)");
    // A hot query that reads a big table whole fails the ledger bench; the other figures are
    // still taken, and the failure is the answer at the end.
    let province =
        env.run(Command::new("cargo").args(["bench", "-p", "xuncha-server", "--bench", "ledger"]));
    drop(postgres);
    // The phone benches that follow run on SQLite, as a county does.
    std::env::remove_var(tools::PG_TEST_ENV);
    env.ensure_client_tools()?;
    env.ensure_browser()?;
    build_client(&env, false)?;
    step("the phone in headless Chromium: bytes, and drawing with the CPU 4x slower");
    env.run(Command::new("cargo").args(["bench", "-p", "xuncha-e2e", "--bench", "ui"]))?;
    step("the inspector's stationing week offline: bytes kept, and the one sync on 3G");
    env.run(Command::new("cargo").args(["bench", "-p", "xuncha-e2e", "--bench", "stationing"]))?;
    step("the public pages (petitions) on 3G");
    env.run(Command::new("cargo").args(["bench", "-p", "xuncha-e2e", "--bench", "public"]))?;
    step("petitions per second the public page takes");
    env.run(Command::new("cargo").args(["bench", "-p", "xuncha-server", "--bench", "petitions"]))?;
    step("photos: database and file store per 10,000");
    env.run(Command::new("cargo").args(["bench", "-p", "xuncha-server", "--bench", "files"]))?;
    province.map_err(|e| format!("the province bench: {e}"))
}

/// Bytes of the built client as a browser fetches them: the field app is the first visit to
/// the sign-in page (the village-phone budget); the office app loads after an office sign-in.
fn size() -> Result {
    let env = Env::prepare()?;
    env.ensure_client_tools()?;
    build_client(&env, false)?;
    budget()
}

/// Prints the bytes of both bundles and fails when the field app's first visit is over the
/// village-phone budget (part of `cargo xtask test`, so CI holds the line).
fn budget() -> Result {
    println!(
        "{:<44} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    let (_, _, field) = measure(
        &root().join("dist/index.html"),
        "modern",
        &["sw.js"],
        "first visit to the sign-in page (field app)",
    )?;
    // Engines without WebAssembly reference types get the whole app at once instead; for the
    // few phones that old, over the budget of the split build.
    measure(
        &root().join("dist/index.html"),
        "baseline",
        &["sw.js"],
        "the same on a baseline engine (one module)",
    )?;
    measure(
        &root().join("dist/office/index.html"),
        "modern",
        &[],
        "office app, after an office sign-in",
    )?;
    measure(
        &root().join("dist/office/index.html"),
        "baseline",
        &[],
        "the same on a baseline engine",
    )?;
    // 300 KB held through issue 4, raised to 330 KB by the liaison's rectification pages;
    // splitting the pages after sign-in and the outbox into chunks (issue 14) brought the
    // first visit to 182 KB, within the 200 KB a village phone deserves.
    let budget = 200_000;
    if field > budget {
        return Err(format!(
            "over the village-phone budget: {field} bytes brotli > {budget}"
        ));
    }
    println!(
        "sign-in page within the {} KB brotli budget ({:.1}% used)",
        budget / 1000,
        field as f64 * 100.0 / budget as f64
    );
    Ok(())
}

/// Prints what a first visit to an entry page downloads on an engine that runs `build` (the
/// page, every file it links or loads, and `extra` such as the service worker) and the total.
fn measure(
    page: &Path,
    build: &str,
    extra: &[&str],
    total_label: &str,
) -> Result<(usize, usize, usize)> {
    let dist = root().join("dist");
    let html = std::fs::read_to_string(page).map_err(|e| format!("{}: {e}", page.display()))?;
    let mut files: Vec<PathBuf> = vec![page.to_path_buf()];
    files.extend(
        client::references_of(&html, build)
            .iter()
            .map(|url| dist.join(url.trim_start_matches('/'))),
    );
    files.extend(extra.iter().map(|f| dist.join(f)));
    files.dedup();
    let (mut raw, mut gz, mut br) = (0, 0, 0);
    for f in &files {
        let bytes = std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let (g, b) = (tools::gzip(&bytes).len(), tools::brotli(&bytes).len());
        let name = f.strip_prefix(&dist).unwrap_or(f).display().to_string();
        println!("{name:<44} {:>10} {g:>10} {b:>10}", bytes.len());
        raw += bytes.len();
        gz += g;
        br += b;
    }
    println!("{total_label:<44} {raw:>10} {gz:>10} {br:>10}\n");
    Ok((raw, gz, br))
}
