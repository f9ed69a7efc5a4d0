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
}

pub const FIELD: App = App {
    bin: "xuncha-web",
    html: "index.html",
    out: "dist",
    base: "/",
    styles: &["style/main.css"],
    split: true,
};

pub const OFFICE: App = App {
    bin: "xuncha-office",
    html: "office.html",
    out: "dist/office",
    base: "/office/",
    styles: &["style/main.css", "style/office.css"],
    split: false,
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
    // The split loader is imported by the main module: preloaded with it (and so cached by the
    // service worker with the shell). The chunks are fetched when their page opens.
    let split_loader = SPLIT_LOADER.trim_start_matches("./");
    let loader_preload = if files.iter().any(|(n, _)| n == split_loader) {
        format!(
            "<link rel=\"modulepreload\" href=\"{}\" crossorigin=\"anonymous\" integrity=\"{}\">\n    ",
            url(split_loader),
            sri(split_loader)
        )
    } else {
        String::new()
    };
    // The app announces itself started, so the entry page's guard can tell a browser that
    // cannot run it from one that is still downloading.
    let loader = format!(
        "{loader_preload}<link rel=\"modulepreload\" href=\"{js}\" crossorigin=\"anonymous\" integrity=\"{js_sri}\">\n    \
         <link rel=\"preload\" href=\"{wasm}\" crossorigin=\"anonymous\" integrity=\"{wasm_sri}\" as=\"fetch\" type=\"application/wasm\">\n    \
         <script type=\"module\">\nimport init from '{js}';\ninit({{ module_or_path: '{wasm}' }}).then(() => dispatchEvent(new CustomEvent('xuncha-started')));\n</script>",
        js = url(&js_name),
        js_sri = sri(&js_name),
        wasm = url(&wasm_name),
        wasm_sri = sri(&wasm_name),
    );
    let template = String::from_utf8(read(&root().join(app.html))?).map_err(|e| e.to_string())?;
    let page = fill(&template, "styles", &styles)?;
    let page = fill(&page, "app", &loader)?;
    write(&out.join("index.html"), page.as_bytes())
}

/// Replaces the `<!-- build: name -->` line of an entry page.
fn fill(template: &str, name: &str, with: &str) -> Result<String> {
    let marker = format!("<!-- build: {name} -->");
    if template.matches(&marker).count() != 1 {
        return Err(format!("the entry page needs exactly one {marker}"));
    }
    Ok(template.replace(&marker, with))
}

/// The same-origin files an entry page loads: stylesheets, preloads, the loader's imports.
pub fn references(html: &str) -> Vec<String> {
    let mut urls: Vec<String> = Vec::new();
    for (open, close) in [
        ("href=\"", '"'),
        ("src=\"", '"'),
        ("from '", '\''),
        ("module_or_path: '", '\''),
    ] {
        let mut rest = html;
        while let Some(i) = rest.find(open) {
            rest = &rest[i + open.len()..];
            let url = &rest[..rest.find(close).unwrap_or(0)];
            if url.starts_with('/') && !url.starts_with("//") && !urls.iter().any(|u| u == url) {
                urls.push(url.to_string());
            }
        }
    }
    urls
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
    fn the_files_a_page_loads_are_found_once_each() {
        let html = "<link rel=\"stylesheet\" href=\"/b/1/main.css\"><link rel=\"icon\" href=\"/favicon.svg\">\
            <link rel=\"modulepreload\" href=\"/b/1/x.js\"><a href=\"https://example.org/\">\
            <script type=\"module\">import init from '/b/1/x.js';await init({ module_or_path: '/b/1/x_bg.wasm' });</script>";
        assert_eq!(
            references(html),
            [
                "/b/1/main.css",
                "/favicon.svg",
                "/b/1/x.js",
                "/b/1/x_bg.wasm"
            ]
        );
    }
}
