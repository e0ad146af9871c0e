//! `backlinks serve-demo`: the simulator as a standalone server until Ctrl-C.

use std::io::Write;

use crate::cli::ServeDemoArgs;
use crate::sim::dataset::DatasetConfig;
use crate::sim::server::{self, ServerConfig};

use super::CommandError;

pub fn run(args: &ServeDemoArgs) -> Result<(), CommandError> {
    for (name, p) in [
        ("--fail-rate", args.fail_rate),
        ("--malformed-rate", args.malformed_rate),
    ] {
        if !(0.0..=1.0).contains(&p) {
            return Err(CommandError::Usage(format!(
                "{name} must be between 0 and 1, got {p}"
            )));
        }
    }
    if !(args.balance.is_finite() && args.balance >= 0.0) {
        return Err(CommandError::Usage(format!(
            "--balance must be a number of USD, 0 or more, got {}",
            args.balance
        )));
    }
    let cfg = ServerConfig {
        addr: args.addr,
        dataset: DatasetConfig {
            seed: args.seed,
            rows: args.rows,
        },
        latency_ms: args.latency_ms,
        fail_rate: args.fail_rate,
        fail_payment: args.fail_payment,
        fail_gateway: args.fail_gateway,
        malformed_rate: args.malformed_rate,
        seed: args.seed,
        balance: args.balance,
        ..ServerConfig::default()
    };
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let (login, password) = (cfg.login.clone(), cfg.password.clone());
        let running = server::spawn(cfg).await?;
        let addr = running.addr();
        let mut out = super::stdout();
        writeln!(out, "backlinks simulator listening on http://{addr}")?;
        writeln!(out, "  endpoint  POST http://{addr}/v3/backlinks/backlinks/live")?;
        writeln!(
            out,
            "  account   GET  http://{addr}/v3/appendix/user_data  (balance ${:.2})",
            args.balance
        )?;
        writeln!(out, "  login     {login}   password {password}")?;
        writeln!(
            out,
            "  try       curl -u {login}:{password} -d '[{{\"target\":\"forbes.com\",\"limit\":5}}]' http://{addr}/v3/backlinks/backlinks/live"
        )?;
        writeln!(out, "Ctrl-C stops it.")?;
        drop(out);
        tokio::signal::ctrl_c().await?;
        running.shutdown().await?;
        // The banner's reader may be gone by now: the server stopped as asked all the same.
        let _ = writeln!(super::stdout(), "stopped");
        Ok(())
    })
}
