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
    if let Some(command) = &config.command {
        let code = xuncha_server::tools::run(&config, command).await?;
        std::process::exit(code);
    }
    let app = Application::build(config).await?;
    app.run_until_stopped().await?;
    Ok(())
}
