//! Comparing vendors: the capability matrix, and the walkthrough run on several providers with
//! the endpoint, latency and outcome of every step side by side.

use std::time::{Duration, Instant};

use imbridge_core::{
    Capabilities, CreateGroup, Error, ImProvider, IssueToken, MessageContent, Operation,
    RegisterUser, SendMessage, SetProfile, Vendor,
};
use serde_json::{Map, Value, json};

/// One column of the capability matrix: a vendor in one configuration.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MatrixColumn {
    /// A stable key for JSON and `imbridge call --list` (`"tencent"`, `"rongcloud"`,
    /// `"rongcloud_hosted"`).
    pub key: &'static str,
    /// The column's title for people.
    pub title: &'static str,
    /// The vendor.
    pub vendor: Vendor,
    /// What it supports in that configuration.
    pub capabilities: Capabilities,
}

/// The capabilities of every vendor compiled into this build, in [`Vendor::ALL`] order, each
/// configuration that changes them in its own column: RongCloud with basic groups (its
/// default) and with its profile-hosting service (`group_mode = "hosted"`).
#[allow(
    clippy::vec_init_then_push,
    reason = "each push depends on a cargo feature"
)]
pub fn capability_matrix() -> Vec<MatrixColumn> {
    let mut matrix = Vec::new();
    #[cfg(feature = "tencent")]
    matrix.push(MatrixColumn {
        key: "tencent",
        title: Vendor::Tencent.display_name(),
        vendor: Vendor::Tencent,
        capabilities: imbridge_tencent::capabilities(),
    });
    #[cfg(feature = "rongcloud")]
    {
        use imbridge_rongcloud::{GroupMode, capabilities_for};
        matrix.push(MatrixColumn {
            key: "rongcloud",
            title: Vendor::RongCloud.display_name(),
            vendor: Vendor::RongCloud,
            capabilities: capabilities_for(GroupMode::Basic),
        });
        matrix.push(MatrixColumn {
            key: "rongcloud_hosted",
            title: "RongCloud (hosted groups)",
            vendor: Vendor::RongCloud,
            capabilities: capabilities_for(GroupMode::Hosted),
        });
    }
    matrix
}

/// The matrix as a Markdown table: one row per capability, one column per configuration.
pub fn matrix_markdown(matrix: &[MatrixColumn]) -> String {
    let header: Vec<&str> = matrix.iter().map(|c| c.title).collect();
    let mut out = format!(
        "| capability | {} |\n|---|{}\n",
        header.join(" | "),
        "---|".repeat(matrix.len())
    );
    let all = rows(matrix);
    for (i, (name, _)) in all
        .first()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let cells: Vec<String> = all.iter().map(|r| r[i].1.clone()).collect();
        out.push_str(&format!("| `{name}` | {} |\n", cells.join(" | ")));
    }
    out
}

/// The matrix as aligned plain text.
pub fn matrix_text(matrix: &[MatrixColumn]) -> String {
    let mut table: Vec<Vec<String>> = vec![
        std::iter::once("capability".to_owned())
            .chain(matrix.iter().map(|c| c.key.to_owned()))
            .collect(),
    ];
    let all = rows(matrix);
    if let Some(first) = all.first() {
        for (i, (name, _)) in first.iter().enumerate() {
            table.push(
                std::iter::once(name.to_string())
                    .chain(all.iter().map(|r| r[i].1.clone()))
                    .collect(),
            );
        }
    }
    align(&table)
}

/// The matrix as JSON: `{"tencent": {"op.register_user": "yes", …}, "rongcloud": …}`, keyed
/// by [`MatrixColumn::key`].
pub fn matrix_json(matrix: &[MatrixColumn]) -> Value {
    let mut out = Map::new();
    for column in matrix {
        let row: Map<String, Value> = column
            .capabilities
            .describe()
            .into_iter()
            .map(|(k, v)| (k, json!(v)))
            .collect();
        out.insert(column.key.to_owned(), Value::Object(row));
    }
    Value::Object(out)
}

fn rows(matrix: &[MatrixColumn]) -> Vec<Vec<(String, String)>> {
    matrix.iter().map(|c| c.capabilities.describe()).collect()
}

/// One step of the walkthrough.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// Register the first user.
    RegisterUser,
    /// Register the second user (the group member).
    RegisterMember,
    /// Issue a token for the first user.
    IssueToken,
    /// Set the first user's nickname.
    SetProfile,
    /// Create the group, owned by the first user, with the second as member.
    CreateGroup,
    /// Send a message to the group.
    SendGroupMessage,
    /// Send a one-to-one message.
    SendDirectMessage,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 7] = [
        Step::RegisterUser,
        Step::RegisterMember,
        Step::IssueToken,
        Step::SetProfile,
        Step::CreateGroup,
        Step::SendGroupMessage,
        Step::SendDirectMessage,
    ];

    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            Step::RegisterUser => "register user",
            Step::RegisterMember => "register member",
            Step::IssueToken => "issue token",
            Step::SetProfile => "set nickname",
            Step::CreateGroup => "create group",
            Step::SendGroupMessage => "send to group",
            Step::SendDirectMessage => "send to user",
        }
    }

    fn operation(self) -> (Operation, bool) {
        match self {
            Step::RegisterUser | Step::RegisterMember => (Operation::RegisterUser, false),
            Step::IssueToken => (Operation::IssueToken, false),
            Step::SetProfile => (Operation::SetProfile, false),
            Step::CreateGroup => (Operation::CreateGroup, false),
            Step::SendGroupMessage => (Operation::SendMessage, true),
            Step::SendDirectMessage => (Operation::SendMessage, false),
        }
    }
}

/// The endpoint `vendor` uses for `step` (when its backend is compiled in).
pub fn endpoint(vendor: Vendor, step: Step) -> &'static str {
    let (op, to_group) = step.operation();
    let _ = (op, to_group);
    match vendor {
        #[cfg(feature = "tencent")]
        Vendor::Tencent => imbridge_tencent::endpoint(op, to_group),
        #[cfg(feature = "rongcloud")]
        Vendor::RongCloud => imbridge_rongcloud::endpoint(op, to_group),
        _ => "(not compiled in)",
    }
}

/// The result of one step on one provider.
#[derive(Debug)]
#[non_exhaustive]
pub struct StepReport {
    /// The step.
    pub step: Step,
    /// The endpoint the vendor used.
    pub endpoint: &'static str,
    /// How long the call took.
    pub latency: Duration,
    /// What came back: a short description, or the error.
    pub outcome: Result<String, Error>,
}

/// The ids a walkthrough uses. Against a real vendor, use [`Walkthrough::unique`] so that
/// repeated runs do not collide with each other or with real users.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Walkthrough {
    /// The first user (the group owner).
    pub user: String,
    /// The second user (the member).
    pub member: String,
    /// The group's name.
    pub group_name: String,
}

impl Default for Walkthrough {
    /// The seed walkthrough's names: `lilei`, `hanmeimei`, `MyFirstGroup`.
    fn default() -> Self {
        Walkthrough {
            user: "lilei".into(),
            member: "hanmeimei".into(),
            group_name: "MyFirstGroup".into(),
        }
    }
}

impl Walkthrough {
    /// The seed names with a random suffix (`lilei-x7k2p9`).
    pub fn unique() -> Self {
        use rand::Rng;
        let suffix: String = rand::rng()
            .sample_iter(rand::distr::Alphanumeric)
            .take(6)
            .map(|c| char::from(c).to_ascii_lowercase())
            .collect();
        Walkthrough {
            user: format!("lilei-{suffix}"),
            member: format!("hanmeimei-{suffix}"),
            group_name: format!("MyFirstGroup-{suffix}"),
        }
    }

    /// Runs every step on `im`, in order, timing each; a failed step does not stop the rest.
    pub async fn run(&self, im: &dyn ImProvider) -> Vec<StepReport> {
        let vendor = im.vendor();
        let mut group_id = None;
        let mut reports = Vec::with_capacity(Step::ALL.len());
        for step in Step::ALL {
            let started = Instant::now();
            let outcome = self.step(im, step, &mut group_id).await;
            reports.push(StepReport {
                step,
                endpoint: endpoint(vendor, step),
                latency: started.elapsed(),
                outcome,
            });
        }
        reports
    }

    async fn step(
        &self,
        im: &dyn ImProvider,
        step: Step,
        group_id: &mut Option<String>,
    ) -> Result<String, Error> {
        match step {
            Step::RegisterUser => im
                .users()
                .register_user(&RegisterUser::new(&self.user))
                .await
                .map(|_| "token issued".into()),
            Step::RegisterMember => im
                .users()
                .register_user(&RegisterUser::new(&self.member))
                .await
                .map(|_| "token issued".into()),
            Step::IssueToken => im
                .users()
                .issue_token(&IssueToken::new(&self.user))
                .await
                .map(|_| "token issued".into()),
            Step::SetProfile => im
                .profiles()
                .set_profile(&SetProfile::new(&self.user).nickname("李雷"))
                .await
                .map(|_| "nickname set".into()),
            Step::CreateGroup => {
                let req = CreateGroup::new(&self.group_name)
                    .owner(&self.user)
                    .member(&self.member);
                let created = im.groups().create_group(&req).await?;
                *group_id = Some(created.group_id.clone());
                Ok(format!("group {}", created.group_id))
            }
            Step::SendGroupMessage => {
                let gid = group_id.clone().unwrap_or_default();
                let msg = SendMessage::to_group(&self.user, gid, MessageContent::text("大家好！"));
                im.messages()
                    .send_message(&msg)
                    .await
                    .map(|r| describe_receipt(&r.message_id))
            }
            Step::SendDirectMessage => {
                let msg = SendMessage::to_user(
                    &self.user,
                    &self.member,
                    MessageContent::text("Hi, Han Meimei"),
                );
                im.messages()
                    .send_message(&msg)
                    .await
                    .map(|r| describe_receipt(&r.message_id))
            }
        }
    }
}

fn describe_receipt(id: &str) -> String {
    if id.is_empty() {
        "sent".into()
    } else {
        format!("sent ({id})")
    }
}

/// A side-by-side table: one row per step; per vendor its endpoint, latency and outcome.
pub fn render_comparison(runs: &[(Vendor, Vec<StepReport>)]) -> String {
    let mut table = vec![
        std::iter::once("step".to_owned())
            .chain(
                runs.iter()
                    .flat_map(|(v, _)| [format!("{v} endpoint"), "ms".into(), "outcome".into()]),
            )
            .collect::<Vec<_>>(),
    ];
    for (i, step) in Step::ALL.iter().enumerate() {
        let mut row = vec![step.label().to_owned()];
        for (_, reports) in runs {
            match reports.get(i) {
                Some(r) => {
                    row.push(r.endpoint.to_owned());
                    row.push(format!("{:.1}", r.latency.as_secs_f64() * 1000.0));
                    row.push(outcome_text(&r.outcome));
                }
                None => row.extend(["-".to_owned(), "-".to_owned(), "-".to_owned()]),
            }
        }
        table.push(row);
    }
    align(&table)
}

/// The comparison as JSON: `{"tencent": [{"step", "endpoint", "latency_ms", "ok", "outcome"}, …], …}`.
pub fn comparison_json(runs: &[(Vendor, Vec<StepReport>)]) -> Value {
    let mut out = Map::new();
    for (vendor, reports) in runs {
        let steps: Vec<Value> = reports
            .iter()
            .map(|r| {
                json!({
                    "step": r.step.label(),
                    "endpoint": r.endpoint,
                    "latency_ms": r.latency.as_secs_f64() * 1000.0,
                    "ok": r.outcome.is_ok(),
                    "outcome": outcome_text(&r.outcome),
                })
            })
            .collect();
        out.insert(vendor.as_str().to_owned(), Value::Array(steps));
    }
    Value::Object(out)
}

fn outcome_text(outcome: &Result<String, Error>) -> String {
    match outcome {
        Ok(text) => format!("ok: {text}"),
        Err(e) => match e.vendor_code() {
            Some(code) => format!("ERROR {} (code {code})", e.kind()),
            None => format!("ERROR {}: {}", e.kind(), e.message()),
        },
    }
}

fn align(table: &[Vec<String>]) -> String {
    let cols = table.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            table
                .iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in table {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| format!("{cell}{}", " ".repeat(widths[c] - cell.chars().count())))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_formats_agree() {
        let matrix = capability_matrix();
        let md = matrix_markdown(&matrix);
        let rows = Capabilities::default().describe().len();
        assert_eq!(md.lines().count(), rows + 2);
        assert_eq!(matrix_text(&matrix).lines().count(), rows + 1);
        let json = matrix_json(&matrix);
        for column in &matrix {
            assert_eq!(
                json[column.key]["messages.max_bytes"],
                column.capabilities.messages.max_bytes.to_string()
            );
        }
    }

    /// docs/vendor-matrix.md holds the table `imbridge capabilities --markdown` prints.
    #[cfg(all(feature = "tencent", feature = "rongcloud"))]
    #[test]
    fn docs_vendor_matrix_matches_the_code() {
        let doc = include_str!("../docs/vendor-matrix.md");
        let table = matrix_markdown(&capability_matrix());
        assert!(
            doc.contains(&table),
            "docs/vendor-matrix.md is out of date; regenerate the table with \
             `cargo run -p imbridge-cli -- capabilities --markdown`:\n{table}"
        );
    }
}
