//! Installing and starting what the build and the tests need, idempotently.

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Instant;

use crate::Result;

/// The OpenAPI validator the API description is checked with (PyPI).
pub const OPENAPI_VALIDATOR_VERSION: &str = "0.8.4";
pub const BINARYEN_VERSION: &str = "132";
/// The JavaScript parser that checks what the baseline engines run (npm).
pub const ACORN_VERSION: &str = "8.15.0";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Where the server tests look for a PostgreSQL server to create databases on.
pub const PG_TEST_ENV: &str = "XUNCHA_TEST_POSTGRES";

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn clock() -> &'static Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now)
}

/// A progress line, with the time since xtask started.
pub fn step(what: &str) {
    let t = clock().elapsed().as_secs();
    println!("\n==> [{:02}:{:02}] {what}", t / 60, t % 60);
    let _ = std::io::stdout().flush();
}

pub struct Env {
    path: String,
}

impl Env {
    pub fn prepare() -> Result<Env> {
        clock();
        let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
        let path = format!(
            "{}:{home}/.cargo/bin:{}",
            root().join(".tools/node_modules/.bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Ok(Env { path })
    }

    /// Set by `--with-postgres` or by the caller (CI).
    pub fn postgres_url(&self) -> Option<String> {
        std::env::var(PG_TEST_ENV).ok().filter(|s| !s.is_empty())
    }

    pub fn run(&self, cmd: &mut Command) -> Result {
        cmd.env("PATH", &self.path);
        if cmd.get_current_dir().is_none() {
            cmd.current_dir(root());
        }
        let shown = format!("{cmd:?}");
        let status = cmd
            .status()
            .map_err(|e| format!("could not start {shown}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("failed ({status}): {shown}"))
        }
    }

    /// Runs `cargo test …`, passing its output through and adding up its tests.
    pub fn run_tests(&self, cmd: &mut Command, tally: &mut Tally) -> Result {
        use std::io::{BufRead, BufReader};
        cmd.env("PATH", &self.path)
            .current_dir(root())
            .stdout(std::process::Stdio::piped());
        let shown = format!("{cmd:?}");
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("could not start {shown}: {e}"))?;
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out)
                .lines()
                .map_while(std::result::Result::ok)
            {
                println!("{line}");
                tally.read(&line);
            }
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("failed ({status}): {shown}"))
        }
    }

    fn output(&self, program: &str, args: &[&str]) -> Option<String> {
        Command::new(program)
            .args(args)
            .env("PATH", &self.path)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    }

    /// The wasm target, the wasm-bindgen CLI matching Cargo.lock, and wasm-opt.
    pub fn ensure_client_tools(&self) -> Result {
        let targets = self
            .output("rustup", &["target", "list", "--installed"])
            .unwrap_or_default();
        if !targets.contains("wasm32-unknown-unknown") {
            step("installing the wasm32 target");
            self.run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
        }
        let wanted = locked_version("wasm-bindgen")?;
        let have = self
            .output("wasm-bindgen", &["--version"])
            .unwrap_or_default();
        if !have.contains(&wanted) {
            step(&format!(
                "installing wasm-bindgen-cli {wanted} (once; about 2 minutes)"
            ));
            // Without --locked: one of its locked dependencies is no longer on the registry.
            self.run(Command::new("cargo").args([
                "install",
                "wasm-bindgen-cli",
                "--version",
                &wanted,
            ]))?;
        }
        let opt = self.output("wasm-opt", &["--version"]).unwrap_or_default();
        if !opt.contains(&format!("version {BINARYEN_VERSION}")) {
            // Debian's binaryen is too old and builds bundles that break at run time.
            step(&format!(
                "installing wasm-opt (binaryen {BINARYEN_VERSION}, from npm)"
            ));
            if self.output("npm", &["--version"]).is_none() {
                apt_install(&["nodejs", "npm"])?;
            }
            let tools = root().join(".tools");
            std::fs::create_dir_all(&tools).map_err(|e| e.to_string())?;
            self.run(
                Command::new("npm")
                    .args(["install", "--no-audit", "--no-fund", "--prefix"])
                    .arg(&tools)
                    .arg(format!("binaryen@{BINARYEN_VERSION}")),
            )?;
        }
        let acorn = std::fs::read_to_string(root().join(".tools/node_modules/acorn/package.json"))
            .unwrap_or_default();
        if !acorn.contains(&format!("\"version\": \"{ACORN_VERSION}\"")) {
            step(&format!("installing acorn {ACORN_VERSION} (from npm)"));
            if self.output("npm", &["--version"]).is_none() {
                apt_install(&["nodejs", "npm"])?;
            }
            self.run(
                Command::new("npm")
                    .args(["install", "--no-audit", "--no-fund", "--prefix"])
                    .arg(root().join(".tools"))
                    .arg(format!("acorn@{ACORN_VERSION}")),
            )?;
        }
        if !self.has_rust_src() {
            step("installing the standard library's source (for the baseline build)");
            self.run(Command::new("rustup").args(["component", "add", "rust-src"]))?;
        }
        Ok(())
    }

    fn has_rust_src(&self) -> bool {
        self.output("rustup", &["component", "list", "--installed"])
            .is_some_and(|list| list.lines().any(|l| l.starts_with("rust-src")))
    }

    /// Chromium, its driver and CJK fonts for the browser tests and screenshots.
    pub fn ensure_browser(&self) -> Result {
        let fonts = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists();
        if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() || !fonts {
            step("installing Chromium, ChromeDriver and CJK fonts");
            apt_install(&["chromium", "chromium-driver", "fonts-noto-cjk"])?;
        }
        Ok(())
    }
}

impl Env {
    /// `openapi-spec-validator` in a virtual environment under `.tools/`; its command.
    pub fn ensure_openapi_validator(&self) -> Result<PathBuf> {
        let venv = root().join(".tools/py");
        let exe = venv.join("bin/openapi-spec-validator");
        let have = Command::new(venv.join("bin/pip"))
            .args(["show", "openapi-spec-validator"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).contains(OPENAPI_VALIDATOR_VERSION))
            .unwrap_or(false);
        if exe.exists() && have {
            return Ok(exe);
        }
        step(&format!(
            "installing openapi-spec-validator {OPENAPI_VALIDATOR_VERSION} (PyPI, into .tools/py)"
        ));
        if !venv.join("bin/pip").exists() {
            let made = Command::new("python3")
                .args(["-m", "venv"])
                .arg(&venv)
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if !made {
                apt_install(&["python3-venv"])?;
                self.run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
            }
        }
        self.run(
            Command::new(venv.join("bin/pip"))
                .args(["install", "--quiet", "--disable-pip-version-check"])
                .arg(format!(
                    "openapi-spec-validator=={OPENAPI_VALIDATOR_VERSION}"
                )),
        )?;
        Ok(exe)
    }
}

/// Tests counted over every `cargo test` run.
#[derive(Default)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
}

impl Tally {
    /// Reads libtest's `test result: ok. 7 passed; 0 failed; …` lines.
    fn read(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return;
        };
        let number_before = |word: &str| {
            rest.split(';')
                .find_map(|part| {
                    part.trim()
                        .trim_start_matches("ok. ")
                        .trim_start_matches("FAILED. ")
                        .strip_suffix(word)
                })
                .and_then(|n| n.trim().parse::<usize>().ok())
                .unwrap_or(0)
        };
        self.passed += number_before(" passed");
        self.failed += number_before(" failed");
    }
}

/// Installs Debian packages (as root, or through sudo).
pub fn apt_install(packages: &[&str]) -> Result {
    let sudo = !is_root();
    let apt = |args: &[&str]| -> Result {
        let mut cmd = if sudo {
            Command::new("sudo")
        } else {
            Command::new("apt-get")
        };
        if sudo {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        let status = cmd.status().map_err(|e| format!("apt-get: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("apt-get {args:?} failed"))
        }
    };
    apt(&["update", "-qq"])?;
    let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
    args.extend_from_slice(packages);
    apt(&args)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// The version of a package as Cargo.lock pins it.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| e.to_string())?;
    let marker = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&marker)
        .ok_or_else(|| format!("{package} is not in Cargo.lock"))?
        + marker.len();
    Ok(lock[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string())
}

/// A throwaway PostgreSQL server in a temporary folder, stopped when dropped.
pub struct Postgres {
    bin: PathBuf,
    dir: PathBuf,
}

impl Postgres {
    pub fn start(env: &Env) -> Result<Postgres> {
        if find_pg_bin().is_none() {
            step("installing PostgreSQL");
            apt_install(&["postgresql"])?;
        }
        // The several-servers test puts two servers on this database behind nginx.
        if !Path::new("/usr/sbin/nginx").exists() {
            step("installing nginx (two servers behind one address)");
            apt_install(&["nginx-light"])?;
        }
        let bin = find_pg_bin().ok_or("PostgreSQL binaries not found after install")?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let dir = std::env::temp_dir().join(format!("xuncha-pg-{port}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        step(&format!(
            "starting a throwaway PostgreSQL on 127.0.0.1:{port}"
        ));
        // initdb refuses to run as root: run the server as the postgres user.
        let as_pg = is_root();
        if as_pg {
            env.run(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&dir),
            )?;
        }
        let pg = |program: &str| -> Command {
            let exe = bin.join(program);
            if as_pg {
                let mut c = Command::new("runuser");
                c.args(["-u", "postgres", "--"]).arg(exe);
                c
            } else {
                Command::new(exe)
            }
        };
        let data = dir.join("data");
        env.run(
            pg("initdb")
                .arg("-D")
                .arg(&data)
                .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"])
                .arg("-N"),
        )?;
        env.run(
            pg("pg_ctl")
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(dir.join("log"))
                .args(["-w", "-o"])
                .arg(format!(
                    "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off",
                    dir.display()
                ))
                .arg("start"),
        )?;
        let server = Postgres { bin, dir };
        let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
        std::env::set_var(PG_TEST_ENV, &url);
        Ok(server)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let mut cmd = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"])
                .arg(self.bin.join("pg_ctl"));
            c
        } else {
            Command::new(self.bin.join("pg_ctl"))
        };
        let _ = cmd
            .arg("-D")
            .arg(&data)
            .args(["-m", "fast", "stop"])
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn find_pg_bin() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    dirs.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    dirs.pop()
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("in-memory write");
    enc.finish().expect("in-memory write")
}

pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut std::io::Cursor::new(bytes), &mut out, &params)
        .expect("in-memory compress");
    out
}

/// Writes `.br` and `.gz` beside each built asset so the server sends them precompressed at
/// the best level instead of compressing on every request.
/// Writes `.br` and `.gz` beside every text and wasm file under `dist`, for the server to send
/// as they are.
pub fn precompress_tree(dist: &Path) -> Result {
    for entry in std::fs::read_dir(dist).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            precompress_tree(&path)?;
            continue;
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !matches!(ext, "wasm" | "js" | "css" | "html" | "svg") {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        let with = |suffix: &str| PathBuf::from(format!("{}.{suffix}", path.display()));
        std::fs::write(with("br"), brotli(&bytes)).map_err(|e| e.to_string())?;
        std::fs::write(with("gz"), gzip(&bytes)).map_err(|e| e.to_string())?;
    }
    Ok(())
}
