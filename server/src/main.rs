use clap::Parser;
use xuncha_server::{config::Config, telemetry, Application};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let config = Config::parse();
    let app = Application::build(config).await?;
    app.run_until_stopped().await?;
    Ok(())
}
