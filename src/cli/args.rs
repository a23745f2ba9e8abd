//! The command line as data: clap derive definitions for `frrlint check`, `frrlint rules`
//! and `frrlint explain`, with value parsers that turn malformed options into usage errors
//! (exit code 2) before any file is read.

use crate::diag::Severity;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::IpAddr;
use std::path::PathBuf;

/// Lint FRR router configurations and cross-check them with Cilium's BGP control plane.
#[derive(Debug, Parser)]
#[command(name = "frrlint", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check FRR configs and Kubernetes/Cilium manifests (files or directories)
    Check(CheckArgs),
    /// List every rule: code, name, default severity, group and summary
    Rules(RulesArgs),
    /// Print a rule's documentation, by code (FRR101) or name (undefined-reference)
    Explain(ExplainArgs),
    /// Print every predicted BGP session between the FRR routers and the Cilium nodes
    Sessions(SessionsArgs),
    /// Trace what a router's policy does to one prefix from (or to) one neighbor
    Route(RouteArgs),
}

/// The inputs `check` and `sessions` share.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files or directories; directories are searched for *.conf, *.frr, *.yaml and *.yml
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Target FRR version, e.g. 8.4 or 10.5 [default: each file's `frr version` line, else the newest]
    #[arg(long, value_name = "VERSION", value_parser = parse_version)]
    pub frr_version: Option<String>,

    /// Target Cilium version, e.g. 1.16 [default: the newest]
    #[arg(long, value_name = "VERSION", value_parser = parse_version)]
    pub cilium_version: Option<String>,

    /// An address of a router, for pairing Cilium peers with FRR configs (repeatable)
    #[arg(long = "router-address", value_name = "NAME=IP", value_parser = parse_router_address)]
    pub router_addresses: Vec<RouterAddress>,

    /// The port a router's bgpd listens on (`bgpd -p`), when it is not 179 (repeatable)
    #[arg(long = "router-port", value_name = "NAME=PORT", value_parser = parse_router_port)]
    pub router_ports: Vec<RouterPort>,
}

#[derive(Debug, Args)]
pub struct SessionsArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct RouteArgs {
    /// The router's FRR configuration
    #[arg(value_name = "FILE")]
    pub config: PathBuf,

    /// The prefix to trace, e.g. 192.168.77.128/32
    #[arg(value_name = "PREFIX")]
    pub prefix: ipnet::IpNet,

    /// Trace the inbound policy for a route received from this neighbor
    #[arg(long, value_name = "NEIGHBOR", conflicts_with = "to", required_unless_present = "to")]
    pub from: Option<IpAddr>,

    /// Trace the outbound policy for a route sent to this neighbor
    #[arg(long, value_name = "NEIGHBOR")]
    pub to: Option<IpAddr>,

    /// AS path of the route, first AS first (default: the neighbor's remote-as when numeric)
    #[arg(long = "as-path", value_name = "ASN", num_args = 1.., value_delimiter = ',')]
    pub as_path: Vec<u32>,

    /// Communities the route carries (AA:NN or a well-known name; repeatable)
    #[arg(long = "community", value_name = "COMMUNITY")]
    pub communities: Vec<String>,

    /// Target FRR version [default: the file's `frr version` line, else the newest]
    #[arg(long, value_name = "VERSION", value_parser = parse_version)]
    pub frr_version: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub inputs: InputArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Lowest severity that makes the exit code 1; findings below it are still printed
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = Threshold::Warning)]
    pub severity: Threshold,

    /// Exit with 0 even when there are findings (unreadable input still exits with 2)
    #[arg(long)]
    pub exit_zero: bool,

    /// Also print counts of files and lines (text format)
    #[arg(long)]
    pub stats: bool,

    /// Never colour the text output (colour is used only on a terminal, and not with NO_COLOR set)
    #[arg(long)]
    pub no_color: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code (FRR101) or name (undefined-reference)
    #[arg(value_name = "RULE")]
    pub rule: String,
}

/// How `check` prints its findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Annotated source snippets for people
    Text,
    /// One JSON document, schema in docs/output-formats.md
    Json,
    /// SARIF 2.1.0, for code-scanning services
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
}

/// How `rules` prints the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

/// The `--severity` threshold, a clap-facing mirror of [`Severity`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Threshold {
    Info,
    #[value(alias = "warn")]
    Warning,
    Error,
}

impl From<Threshold> for Severity {
    fn from(t: Threshold) -> Severity {
        match t {
            Threshold::Info => Severity::Info,
            Threshold::Warning => Severity::Warning,
            Threshold::Error => Severity::Error,
        }
    }
}

/// `--router-address NAME=IP`, checked here and passed to the library as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouterAddress {
    pub name: String,
    pub ip: IpAddr,
}

impl std::fmt::Display for RouterAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.name, self.ip)
    }
}

/// `--router-port NAME=PORT`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouterPort {
    pub name: String,
    pub port: u16,
}

impl std::fmt::Display for RouterPort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.name, self.port)
    }
}

fn parse_router_port(s: &str) -> Result<RouterPort, String> {
    let (name, port) = s.split_once('=').ok_or_else(|| format!("expected NAME=PORT, got `{s}`"))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("expected NAME=PORT, the name is empty in `{s}`"));
    }
    let port = port.trim().parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| format!("`{}` is not a port 1-65535", port.trim()))?;
    Ok(RouterPort { name: name.to_string(), port })
}

fn parse_router_address(s: &str) -> Result<RouterAddress, String> {
    let (name, ip) = s.split_once('=').ok_or_else(|| format!("expected NAME=IP, got `{s}`"))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("expected NAME=IP, the name is empty in `{s}`"));
    }
    let ip = ip.trim().parse::<IpAddr>().map_err(|_| format!("`{}` is not an IPv4 or IPv6 address", ip.trim()))?;
    Ok(RouterAddress { name: name.to_string(), ip })
}

/// A version is dot-separated numbers: `10`, `8.4`, `10.5.1`.
fn parse_version(s: &str) -> Result<String, String> {
    let ok = !s.is_empty() && s.split('.').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!("expected a version like 8.4 or 10.5, got `{s}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn router_address_and_version() {
        let ra = parse_router_address("leaf1=10.0.0.1").unwrap();
        assert_eq!(ra.to_string(), "leaf1=10.0.0.1");
        assert!(parse_router_address("leaf1").is_err());
        assert!(parse_router_address("=10.0.0.1").is_err());
        assert!(parse_router_address("leaf1=10.0.0.300").is_err());
        assert_eq!(parse_router_address("spine=fd00::1").unwrap().ip, "fd00::1".parse::<IpAddr>().unwrap());
        assert!(parse_version("10.5").is_ok());
        assert!(parse_version("8").is_ok());
        assert!(parse_version("v10").is_err());
        assert!(parse_version("10..5").is_err());
    }

    #[test]
    fn check_defaults() {
        let cli = Cli::try_parse_from(["frrlint", "check", "a.conf"]).unwrap();
        let Command::Check(c) = cli.command else { panic!("not check") };
        assert_eq!(c.format, Format::Text);
        assert_eq!(Severity::from(c.severity), Severity::Warning);
        assert!(!c.exit_zero && !c.stats && !c.no_color);
        assert!(Cli::try_parse_from(["frrlint", "check"]).is_err());
        assert!(Cli::try_parse_from(["frrlint", "check", "a", "--format", "xml"]).is_err());
    }
}
