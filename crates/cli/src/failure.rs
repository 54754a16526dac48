//! How the CLI reports failures.

use std::process::ExitCode;

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// An imbridge operation failed.
    Im(imbridge_core::Error),
    /// A UserSig was refused by `usersig verify`.
    InvalidSig(String),
    /// Missing or contradictory flags, or input the CLI itself refuses (a `--json` body that is
    /// not the operation's request, an unknown operation name).
    Usage(String),
    /// A batch call went through but some items failed; the batch was printed on stdout.
    Partial {
        /// How many items failed.
        failed: usize,
        /// How many items the batch had.
        total: usize,
    },
    /// Anything else.
    Other(String),
}

impl From<imbridge_core::Error> for Failure {
    fn from(e: imbridge_core::Error) -> Self {
        Failure::Im(e)
    }
}

impl Failure {
    /// Prints the failure on stderr and returns the exit status: 2 for usage, 3 for a batch with
    /// failed items, 1 otherwise.
    pub(crate) fn report(self) -> ExitCode {
        match self {
            Failure::Im(e) => {
                eprintln!("error[{}]: {e}", e.kind());
                if let Some(code) = e.vendor_code() {
                    eprintln!("vendor code: {code}");
                    eprintln!("vendor message: {}", e.vendor_message().unwrap_or_default());
                }
                eprintln!("retryable: {}", e.is_retryable());
                ExitCode::from(1)
            }
            Failure::InvalidSig(reason) => {
                eprintln!("invalid UserSig: {reason}");
                ExitCode::from(1)
            }
            Failure::Usage(msg) => {
                eprintln!("error[usage]: {msg}");
                ExitCode::from(2)
            }
            Failure::Partial { failed, total } => {
                eprintln!(
                    "error[partial]: {failed} of {total} items failed; see \"failed\" on stdout"
                );
                ExitCode::from(3)
            }
            Failure::Other(msg) => {
                eprintln!("error: {msg}");
                ExitCode::from(1)
            }
        }
    }
}
