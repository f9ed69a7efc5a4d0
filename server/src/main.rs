use clap::Parser;
use xuncha_server::{config::Config, telemetry, Application};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let config = Config::parse();
    if config.print_openapi {
        println!("{}", xuncha_server::openapi::document());
        return Ok(());
    }
    let app = Application::build(config).await?;
    app.run_until_stopped().await?;
    Ok(())
}
