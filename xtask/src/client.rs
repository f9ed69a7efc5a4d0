//! Builds the two browser bundles: cargo for wasm32, wasm-bindgen, wasm-opt, then one folder
//! per build named by the hash of what is in it, and the entry page that loads it.
//!
//! Owned here rather than left to trunk: the pipeline needs a step between the compiler and
//! wasm-bindgen (splitting the wasm into lazily loaded chunks), which trunk cannot run, and a
//! fresh machine no longer spends ten minutes compiling trunk.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use sha2::{Digest, Sha256, Sha384};

use crate::tools::{root, step, Env};
use crate::Result;

/// One of the two apps: the binary, its entry page, where it goes and the URL it is served at.
pub struct App {
    pub bin: &'static str,
    pub html: &'static str,
    pub out: &'static str,
    pub base: &'static str,
    /// Stylesheets, in cascade order.
    pub styles: &'static [&'static str],
    /// Split into lazily loaded chunks at its `#[wasm_split]` points.
    pub split: bool,
    /// Also built whole for engines without WebAssembly reference types (see [`baseline`]).
    pub baseline: bool,
}

pub const FIELD: App = App {
    bin: "xuncha-web",
    html: "index.html",
    out: "dist",
    base: "/",
    styles: &["style/main.css"],
    split: true,
    baseline: true,
};

pub const OFFICE: App = App {
    bin: "xuncha-office",
    html: "office.html",
    out: "dist/office",
    base: "/office/",
    styles: &["style/main.css", "style/office.css"],
    split: false,
    // Offices run Chromium 86 kernels too (信创 desktops' browsers, older 360 kernels).
    baseline: true,
};

/// Files copied as they are to the root of the field app (the service worker must be served
/// from `/` to control every page).
const COPIED: [&str; 5] = [
    "public/favicon.svg",
    "public/sw.js",
    "public/manifest.webmanifest",
    "public/icon-192.png",
    "public/icon-512.png",
];
/// The JS that loads a chunk, beside the main module in the build folder.
const SPLIT_LOADER: &str = "./__wasm_split.js";

fn io(what: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("{}: {e}", what.display())
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(io(path))
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    std::fs::write(path, bytes).map_err(io(path))
}

/// Builds both apps into a fresh `dist/`, swapped in whole at the end so that a server reading
/// the old one never sees half a build.
pub fn build(env: &Env) -> Result {
    let staging = root().join("target/client/dist");
    let _ = std::fs::remove_dir_all(&staging);
    for app in [&FIELD, &OFFICE] {
        step(&format!(
            "{}: cargo (wasm32, release), wasm-bindgen, wasm-opt",
            app.bin
        ));
        let out = staging.join(app.out.trim_start_matches("dist").trim_start_matches('/'));
        bundle(env, app, &out)?;
    }
    for file in COPIED {
        let from = root().join(file);
        let name = from.file_name().expect("a file name");
        std::fs::copy(&from, staging.join(name)).map_err(io(&from))?;
    }
    let worker = root().join("public/sw.js");
    let source = std::fs::read_to_string(&worker).map_err(io(&worker))?;
    check_js(env, &source, Js::Worker).map_err(|e| format!("public/sw.js: {e}"))?;
    let dist = root().join("dist");
    // The build phones are running now stays one more build: a phone that opens a page whose
    // chunk it has not fetched yet still finds it, until it takes the new build.
    for app in [&FIELD, &OFFICE] {
        let Ok(old_page) = std::fs::read_to_string(root().join(app.out).join("index.html")) else {
            continue;
        };
        if let Some(folder) = build_folder(&old_page, app.base) {
            let from = root().join(app.out).join(&folder);
            let to = staging
                .join(app.out.trim_start_matches("dist").trim_start_matches('/'))
                .join(&folder);
            if from.is_dir() && !to.exists() {
                copy_dir(&from, &to)?;
            }
        }
    }
    crate::tools::precompress_tree(&staging)?;
    let old = root().join("target/client/dist.old");
    let _ = std::fs::remove_dir_all(&old);
    if dist.exists() {
        std::fs::rename(&dist, &old).map_err(io(&dist))?;
    }
    std::fs::rename(&staging, &dist).map_err(io(&staging))?;
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// One app: its wasm and JS through wasm-bindgen and wasm-opt into `out/b/<hash>/`, its entry
/// page at `out/index.html`.
fn bundle(env: &Env, app: &App, out: &Path) -> Result {
    let mut cargo = Command::new("cargo");
    cargo.args([
        "rustc",
        "-p",
        "xuncha-web",
        "--bin",
        app.bin,
        "--profile",
        "wasm-release",
        "--target",
        "wasm32-unknown-unknown",
    ]);
    if app.split {
        // wasm-split reads the linker's relocations to know which code each split point
        // reaches. Given to the binary's own link only, so the crates it depends on are the
        // same build for both apps (and the office app is not linked with relocations).
        cargo.args(["--", "-Clink-args=--emit-relocs"]);
    }
    env.run(&mut cargo)?;
    let compiled = root()
        .join("target/wasm32-unknown-unknown/wasm-release")
        .join(format!("{}.wasm", app.bin));
    let work = root().join("target/client/work").join(app.bin);
    let _ = std::fs::remove_dir_all(&work);
    let built = work.join("out");
    std::fs::create_dir_all(&built).map_err(io(&built))?;
    let js_name = format!("{}.js", app.bin);
    let wasm_name = format!("{}_bg.wasm", app.bin);
    let mut chunks = Vec::new();
    let bindgen_input = if app.split {
        let main = work.join(format!("{}_split.wasm", app.bin));
        let input = read(&compiled)?;
        let main_module = format!("./{js_name}");
        let mut opts = wasm_split_cli_support::Options::new(&input);
        opts.output_dir = &built;
        opts.main_out_path = &main;
        opts.main_module = &main_module;
        opts.link_name = SPLIT_LOADER;
        let split =
            wasm_split_cli_support::transform(opts).map_err(|e| format!("wasm-split: {e:#}"))?;
        chunks = split.split_modules;
        main
    } else {
        compiled
    };
    let mut bindgen = Command::new("wasm-bindgen");
    bindgen
        .arg("--target=web")
        .arg("--no-typescript")
        .arg(format!("--out-dir={}", built.display()))
        .arg(format!("--out-name={}", app.bin));
    if app.split {
        // The chunks link against the main module's own (linker) exports by name.
        bindgen.arg("--keep-lld-exports").arg("--no-demangle");
    }
    env.run(bindgen.arg(&bindgen_input))?;
    let bound = built.join(&wasm_name);
    for wasm in std::iter::once(&bound).chain(&chunks) {
        let optimized = wasm.with_extension("opt");
        env.run(
            Command::new("wasm-opt")
                .arg("-Oz")
                .arg(format!("--output={}", optimized.display()))
                .arg(wasm),
        )?;
        std::fs::rename(&optimized, wasm).map_err(io(&optimized))?;
    }
    if app.baseline {
        baseline(env, app, &built)?;
    }

    // Everything wasm-bindgen and wasm-split wrote: the main module and its JS, and when split,
    // the loader and the chunks.
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in std::fs::read_dir(&built).map_err(io(&built))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            return Err(format!(
                "{}: wasm-bindgen wrote a folder (inline JS snippets), which the build does not copy",
                path.display()
            ));
        }
        let name = path
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        files.push((name, read(&path)?));
    }
    files.sort();
    let mut style_names = Vec::new();
    for style in app.styles {
        let path = root().join(style);
        let name = path
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        files.push((name.clone(), read(&path)?));
        style_names.push(name);
    }
    // One name for everything the page loads: a new build is a new folder, and the files in
    // it never change, so they can be cached for good.
    let mut digest = Sha256::new();
    for (name, bytes) in &files {
        digest.update(name.as_bytes());
        digest.update(bytes);
    }
    let hash: String = digest.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let folder = out.join("b").join(&hash);
    std::fs::create_dir_all(&folder).map_err(io(&folder))?;
    for (name, bytes) in &files {
        write(&folder.join(name), bytes)?;
    }

    let url = |name: &str| format!("{}b/{hash}/{name}", app.base);
    let sri = |name: &str| {
        let bytes = &files.iter().find(|(n, _)| n == name).expect("built").1;
        format!(
            "sha384-{}",
            base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
        )
    };
    let styles = style_names
        .iter()
        .map(|name| {
            format!(
                "<link rel=\"stylesheet\" href=\"{}\" integrity=\"{}\">",
                url(name),
                sri(name)
            )
        })
        .collect::<Vec<_>>()
        .join("\n    ");
    // What the page loads, per build, for the entry page's chooser (and the service worker,
    // which caches the same build): the split loader is imported by the main module, so it is
    // preloaded with it; the chunks are fetched when their page opens.
    let split_loader = SPLIT_LOADER.trim_start_matches("./");
    let preload = |rel: &str, name: &str| serde_json::json!({ "rel": rel, "href": url(name), "integrity": sri(name) });
    let build_of = |js: &str, wasm: &str| {
        let mut preloads: Vec<serde_json::Value> = Vec::new();
        if js == js_name && files.iter().any(|(n, _)| n == split_loader) {
            preloads.push(preload("modulepreload", split_loader));
        }
        preloads.push(preload("modulepreload", js));
        preloads.push(preload("preload", wasm));
        serde_json::json!({ "js": url(js), "wasm": url(wasm), "preload": preloads })
    };
    let mut builds = serde_json::Map::new();
    builds.insert("modern".into(), build_of(&js_name, &wasm_name));
    if app.baseline {
        let (js, wasm) = baseline_names(app);
        builds.insert("baseline".into(), build_of(&js, &wasm));
    }
    let builds = serde_json::Value::Object(builds).to_string();
    if builds.contains("</") || builds.contains("<!--") {
        return Err("a build description that would end its script element".into());
    }
    // Before the stylesheets: an inline script after them waits for them to arrive, and with
    // it the preloads it adds.
    let loader = format!(
        "<script type=\"application/json\" id=\"xuncha-build\">{builds}</script>\n    \
         <script>{CHOOSER}</script>\n    \
         <script type=\"module\">{LOADER}</script>"
    );
    let template = String::from_utf8(read(&root().join(app.html))?).map_err(|e| e.to_string())?;
    let page = fill(&template, "styles", &styles)?;
    let page = fill(&page, "app", &loader)?;
    for (module, script) in inline_scripts(&page) {
        let kind = if module { Js::Module } else { Js::Classic };
        check_js(env, script, kind).map_err(|e| format!("{}: {e}", app.html))?;
    }
    write(&out.join("index.html"), page.as_bytes())
}

/// Picks the build this engine runs and preloads its files, before anything else on the page
/// (ES5, so that every engine runs it). The probe is a function type taking an `externref`:
/// valid only where WebAssembly has reference types (Chromium 96, Safari 15, Firefox 79).
const CHOOSER: &str = "(function () {\n\
  if (typeof WebAssembly !== 'object') return;\n\
  var builds = JSON.parse(document.getElementById('xuncha-build').textContent);\n\
  var modern = false;\n\
  try {\n\
    modern = WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 1, 111, 0]));\n\
  } catch (e) {}\n\
  var build = modern || !builds.baseline ? builds.modern : builds.baseline;\n\
  window.xunchaBuild = build;\n\
  for (var i = 0; i < build.preload.length; i++) {\n\
    var p = build.preload[i], link = document.createElement('link');\n\
    link.rel = p.rel;\n\
    if (p.rel === 'preload') {\n\
      link.as = 'fetch';\n\
      link.type = 'application/wasm';\n\
    }\n\
    link.crossOrigin = 'anonymous';\n\
    link.integrity = p.integrity;\n\
    link.href = p.href;\n\
    document.head.appendChild(link);\n\
  }\n\
})();";

/// Starts the chosen build. The app announces itself started, so that the entry page's guard
/// can tell a browser that cannot run it from one that is still downloading.
const LOADER: &str = "const build = window.xunchaBuild;\n\
if (build) import(build.js).then((m) => m.default({ module_or_path: build.wasm })).then(() => dispatchEvent(new CustomEvent('xuncha-started')));";

/// The oldest engines the apps support: Chromium 80 (Android WebView 80, the system
/// WebView of phones that get no updates, and older WeChat and QQ kernels) and Safari 14.
/// Their WebAssembly has no reference types, which rustc's default wasm features use and
/// which the split build needs (wasm-split adds a second function table); their JavaScript
/// is ES2020. For them the same app is built unsplit, with std rebuilt for the first
/// WebAssembly version (`-Ctarget-cpu=mvp`: the std rustup ships is built with the newer
/// features), and checked to use nothing more. It is fetched only by engines that fail the
/// entry page's probe. The feature `baseline` only takes the field binary's split points out.
fn baseline(env: &Env, app: &App, built: &Path) -> Result {
    let target = root().join("target/baseline");
    let mut cargo = Command::new("cargo");
    // -Zbuild-std on the stable toolchain, the one toolchain a machine here has.
    cargo
        .env("RUSTC_BOOTSTRAP", "1")
        .args([
            "rustc",
            "-p",
            "xuncha-web",
            "--bin",
            app.bin,
            "--features",
            "baseline",
            "--profile",
            "wasm-release",
            "--target",
            "wasm32-unknown-unknown",
            "-Zbuild-std=std,panic_abort",
            "--config",
            "target.wasm32-unknown-unknown.rustflags=[\"-Ctarget-cpu=mvp\"]",
        ])
        .arg("--target-dir")
        .arg(&target);
    env.run(&mut cargo)?;
    let compiled = target
        .join("wasm32-unknown-unknown/wasm-release")
        .join(format!("{}.wasm", app.bin));
    let (js, wasm) = baseline_names(app);
    env.run(
        Command::new("wasm-bindgen")
            .arg("--target=web")
            .arg("--no-typescript")
            .arg(format!("--out-dir={}", built.display()))
            .arg(format!("--out-name={}", js.trim_end_matches(".js")))
            .arg(&compiled),
    )?;
    let bound = built.join(&wasm);
    let optimized = bound.with_extension("opt");
    env.run(
        Command::new("wasm-opt")
            .arg("-Oz")
            // Or it may bring in instructions of later versions while optimising.
            .arg("--mvp-features")
            .arg(format!("--output={}", optimized.display()))
            .arg(&bound),
    )?;
    std::fs::rename(&optimized, &bound).map_err(io(&optimized))?;
    first_wasm_version(&read(&bound)?).map_err(|e| format!("{}: {e}", bound.display()))?;
    let glue = std::fs::read_to_string(built.join(&js)).map_err(io(&built.join(&js)))?;
    check_js(env, &glue, Js::Module).map_err(|e| format!("{js}: {e}"))
}

/// The baseline build's JS and wasm, beside the split build's in the same folder.
fn baseline_names(app: &App) -> (String, String) {
    (
        format!("{}-baseline.js", app.bin),
        format!("{}-baseline_bg.wasm", app.bin),
    )
}

/// Whether a module uses only the first WebAssembly version (with mutable globals), as the
/// baseline engines run it.
fn first_wasm_version(wasm: &[u8]) -> Result {
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::WASM1)
        .validate_all(wasm)
        .map(|_| ())
        .map_err(|e| format!("uses WebAssembly beyond the first version: {e}"))
}

#[derive(Clone, Copy)]
pub enum Js {
    /// A classic script any engine must run (ES5): the chooser, the guard.
    Classic,
    /// A module the baseline engines run (ES2020).
    Module,
    /// The service worker (a classic script, ES2020).
    Worker,
}

/// Parses JavaScript as the baseline engines would (acorn, from npm), so that syntax newer
/// than they know never reaches them.
pub fn check_js(env: &Env, source: &str, kind: Js) -> Result {
    let (ecma, source_type) = match kind {
        Js::Classic => ("5", "script"),
        Js::Module => ("2020", "module"),
        Js::Worker => ("2020", "script"),
    };
    let file = root().join(format!(
        "target/client/check-{}-{}.js",
        std::process::id(),
        Sha256::digest(source.as_bytes())
            .iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    ));
    std::fs::create_dir_all(file.parent().expect("a folder")).map_err(io(&file))?;
    write(&file, source.as_bytes())?;
    let script = "const acorn = require('acorn');\n\
        const [file, ecmaVersion, sourceType] = process.argv.slice(1);\n\
        try {\n\
          acorn.parse(require('fs').readFileSync(file, 'utf8'), { ecmaVersion: Number(ecmaVersion), sourceType });\n\
        } catch (e) {\n\
          console.error(`not ES${ecmaVersion}: ${e.message}`);\n\
          process.exit(1);\n\
        }";
    let result = env.run(
        Command::new("node")
            .current_dir(root().join(".tools"))
            .arg("-e")
            .arg(script)
            .arg(&file)
            .arg(ecma)
            .arg(source_type),
    );
    let _ = std::fs::remove_file(&file);
    result
}

/// The bodies of a page's inline scripts that run (not data), each with whether it is a
/// module.
fn inline_scripts(html: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let open = &after[..open_end];
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        if !open.contains("application/json") && !body[..close].trim().is_empty() {
            out.push((open.contains("module"), &body[..close]));
        }
        rest = &body[close..];
    }
    out
}

/// Replaces the `<!-- build: name -->` line of an entry page.
fn fill(template: &str, name: &str, with: &str) -> Result<String> {
    let marker = format!("<!-- build: {name} -->");
    if template.matches(&marker).count() != 1 {
        return Err(format!("the entry page needs exactly one {marker}"));
    }
    Ok(template.replace(&marker, with))
}

/// The same-origin files an entry page loads on an engine that runs its split build.
pub fn references(html: &str) -> Vec<String> {
    references_of(html, "modern")
}

/// The same-origin files an entry page loads on an engine that runs `build` (`modern` or
/// `baseline`): stylesheets and icons, and that build's preloads.
pub fn references_of(html: &str, build: &str) -> Vec<String> {
    let mut urls: Vec<String> = Vec::new();
    for open in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(open) {
            rest = &rest[i + open.len()..];
            let url = &rest[..rest.find('"').unwrap_or(0)];
            urls.push(url.to_string());
        }
    }
    if let Some(builds) = builds_of(html) {
        for p in builds[build]["preload"].as_array().into_iter().flatten() {
            urls.extend(p["href"].as_str().map(str::to_string));
        }
    }
    let mut seen = Vec::new();
    for url in urls {
        if url.starts_with('/') && !url.starts_with("//") && !seen.contains(&url) {
            seen.push(url);
        }
    }
    seen
}

/// The entry page's description of its builds (`xuncha-build`).
fn builds_of(html: &str) -> Option<serde_json::Value> {
    let marker = "id=\"xuncha-build\">";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find("</script>")?;
    serde_json::from_str(&html[start..start + end]).ok()
}

/// The build folder an entry page loads from, relative to its app (`b/<hash>`).
fn build_folder(page: &str, base: &str) -> Option<String> {
    references(page).into_iter().find_map(|url| {
        let rest = url.strip_prefix(base)?.strip_prefix("b/")?;
        let (hash, _) = rest.split_once('/')?;
        (hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
            .then(|| format!("b/{hash}"))
    })
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(io(to))?;
    for entry in std::fs::read_dir(from).map_err(io(from))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let target = to.join(path.file_name().expect("a file name"));
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            std::fs::copy(&path, &target).map_err(io(&path))?;
        }
    }
    Ok(())
}

/// The built entry pages, for "is the build newer than its sources".
pub fn outputs() -> [PathBuf; 2] {
    [
        root().join(FIELD.out).join("index.html"),
        root().join(OFFICE.out).join("index.html"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_is_filled_once() {
        assert_eq!(
            fill(
                "<head><!-- build: app --></head>",
                "app",
                "<script></script>"
            )
            .unwrap(),
            "<head><script></script></head>"
        );
        assert!(fill("<head></head>", "app", "x").is_err());
        assert!(fill("<!-- build: app --><!-- build: app -->", "app", "x").is_err());
    }

    #[test]
    fn the_build_folder_of_an_entry_page_is_found() {
        let field = "<link href=\"/favicon.svg\"><link rel=\"stylesheet\" href=\"/b/0123456789abcdef/main.css\">";
        assert_eq!(
            build_folder(field, "/").as_deref(),
            Some("b/0123456789abcdef")
        );
        let office = "<link rel=\"stylesheet\" href=\"/office/b/fedcba9876543210/main.css\">";
        assert_eq!(
            build_folder(office, "/office/").as_deref(),
            Some("b/fedcba9876543210")
        );
        assert_eq!(build_folder("<link href=\"/b/short/x.css\">", "/"), None);
    }

    #[test]
    fn the_files_a_page_loads_are_found_once_each_for_the_build_the_engine_runs() {
        let html = "<link rel=\"stylesheet\" href=\"/b/1/main.css\"><link rel=\"icon\" href=\"/favicon.svg\">\
            <a href=\"https://example.org/\"><script type=\"application/json\" id=\"xuncha-build\">\
            {\"modern\":{\"preload\":[{\"href\":\"/b/1/x.js\"},{\"href\":\"/b/1/x_bg.wasm\"},{\"href\":\"/b/1/main.css\"}]},\
             \"baseline\":{\"preload\":[{\"href\":\"/b/1/x-baseline.js\"}]}}</script>";
        assert_eq!(
            references(html),
            [
                "/b/1/main.css",
                "/favicon.svg",
                "/b/1/x.js",
                "/b/1/x_bg.wasm"
            ]
        );
        assert_eq!(
            references_of(html, "baseline"),
            ["/b/1/main.css", "/favicon.svg", "/b/1/x-baseline.js"]
        );
    }

    /// The chooser's probe must fail where the split build cannot run and pass where it can.
    #[test]
    fn the_probe_is_valid_only_with_reference_types() {
        let list = CHOOSER
            .split_once("new Uint8Array([")
            .and_then(|(_, rest)| rest.split_once("])"))
            .expect("the probe's bytes")
            .0;
        let probe: Vec<u8> = list.split(", ").map(|b| b.parse().unwrap()).collect();
        assert!(first_wasm_version(&probe).is_err());
        let mut reference_types = wasmparser::WasmFeatures::WASM1;
        reference_types.insert(wasmparser::WasmFeatures::REFERENCE_TYPES);
        wasmparser::Validator::new_with_features(reference_types)
            .validate_all(&probe)
            .expect("valid with reference types");
        // The service worker caches the build the page runs: it must ask the same question.
        let worker = std::fs::read_to_string(root().join("public/sw.js")).unwrap();
        assert!(worker.contains(&format!("new Uint8Array([{list}])")));
    }

    /// The check stops syntax the baseline engines cannot parse (acorn from `.tools`, which
    /// `cargo xtask test` installs before the tests).
    #[test]
    fn javascript_newer_than_the_baseline_is_refused() {
        let env = Env::prepare().unwrap();
        check_js(&env, "var a = { b: 1 }; a.b = 2;", Js::Classic).unwrap();
        assert!(check_js(&env, "let a = 1;", Js::Classic).is_err());
        check_js(&env, "export const a = window.x?.y ?? 1n;", Js::Module).unwrap();
        // Logical assignment is Chromium 85, Safari 14.
        assert!(check_js(&env, "let a; a ??= 1;", Js::Module).is_err());
        assert!(check_js(&env, "class A { static { } }", Js::Worker).is_err());
    }

    #[test]
    fn data_scripts_are_not_checked_as_code() {
        let html = "<script type=\"application/json\" id=\"x\">{\"a\":1}</script>\
            <script>var a = 1;</script><script type=\"module\">import x from '/x.js';</script><script src=\"/s.js\"></script>";
        assert_eq!(
            inline_scripts(html),
            [(false, "var a = 1;"), (true, "import x from '/x.js';")]
        );
    }
}
