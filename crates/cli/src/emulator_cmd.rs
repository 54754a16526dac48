//! `imbridge emulator`: serve until stopped.

use std::io::Write;

use imbridge_emulator::{Emulator, EmulatorConfig};

use crate::failure::Failure;

pub(crate) async fn run(port: u16) -> Result<(), Failure> {
    let config = EmulatorConfig {
        port,
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::start(config).await.map_err(|e| {
        Failure::Other(format!(
            "cannot start the emulator on 127.0.0.1:{port}: {e}"
        ))
    })?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", emulator.startup_line()).map_err(|e| Failure::Other(e.to_string()))?;
    stdout.flush().map_err(|e| Failure::Other(e.to_string()))?;
    drop(stdout);
    wait_for_stop().await;
    emulator.shutdown().await;
    Ok(())
}

/// Waits for Ctrl-C, or SIGTERM on Unix.
async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
