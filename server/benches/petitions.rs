//! How many petitions per second the public page takes: each one as a phone sends it (load the
//! page for its form token, post the form with one 300 KB photo), from 1 and from 32 phones at
//! once, against a server on 127.0.0.1 with the rate limits lifted. On SQLite; on PostgreSQL
//! when XUNCHA_TEST_POSTGRES is set. Run with `cargo bench -p xuncha-server --bench petitions`.

use std::time::Instant;

use reqwest::multipart::{Form, Part};
use serde_json::json;
use xuncha_server::testkit::{self, fixtures::Office};

async fn one(client: &reqwest::Client, page: &str, photo: &[u8]) -> anyhow::Result<()> {
    let html = client.get(page).send().await?.text().await?;
    let at = html
        .find("name=\"token\" value=\"")
        .ok_or_else(|| anyhow::anyhow!("no token"))?
        + 20;
    let token = &html[at..at + html[at..].find('"').unwrap_or(0)];
    let form = Form::new()
        .text("token", token.to_string())
        .text("content", "村里的集体收入去向不明，账目一直没有公开。")
        .part(
            "photos",
            Part::bytes(photo.to_vec())
                .file_name("p.jpg")
                .mime_str("image/jpeg")?,
        );
    let r = client.post(page).multipart(form).send().await?;
    anyhow::ensure!(r.status().is_success(), "{}", r.status());
    Ok(())
}

async fn rate(page: &str, phones: usize, each: usize, photo: &[u8]) -> anyhow::Result<f64> {
    let started = Instant::now();
    let tasks = (0..phones).map(|_| {
        let (page, photo) = (page.to_string(), photo.to_vec());
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            for _ in 0..each {
                one(&client, &page, &photo).await?;
            }
            anyhow::Ok(())
        })
    });
    for t in futures::future::join_all(tasks).await {
        t??;
    }
    Ok((phones * each) as f64 / started.elapsed().as_secs_f64())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (base, state) = testkit::spawn(|c| {
        c.petitions_per_address = i64::MAX;
        c.petitions_per_village = i64::MAX;
    })
    .await?;
    println!("petitions on {:?}", state.db.backend);
    let office = Office::sign_in(&base).await;
    office.round_with_target("第一巡察组", "zhangwei").await;
    let rounds: serde_json::Value = office.get("/api/rounds").await;
    let round = rounds[0]["id"].as_str().unwrap_or_default().to_string();
    office
        .post(
            &format!("/api/rounds/{round}/phase"),
            json!({ "to": "stationing" }),
        )
        .await;
    let page = format!("{base}/xinfang/{}", office.org_id("青石村").await);
    let mut photo = vec![0xFF, 0xD8, 0xFF, 0xE0];
    photo.resize(300 * 1024, 0x55);

    let single = rate(&page, 1, 100, &photo).await?;
    println!("1 phone: {single:.0} petitions/s (page, form with a 300 KB photo)");
    let many = rate(&page, 32, 20, &photo).await?;
    println!("32 phones at once: {many:.0} petitions/s");
    Ok(())
}
