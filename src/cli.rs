//! Command-line interface: the query flags shared by the explorer and (later) `export`, and the
//! subcommands that exist today.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::api::fields::Catalog;
use crate::api::filter::Filter;
use crate::api::request::{
    CUSTOM_MODE_FIELDS, CustomMode, LiveRequest, MAX_CUSTOM_MODE_VALUE, MAX_LIMIT, MAX_ORDER_BY,
    Mode, OrderBy, StatusType,
};
use crate::store::Format;

/// Explore the backlinks of a domain, subdomain or page (DataForSEO Backlinks API).
///
/// Without credentials (DATAFORSEO_LOGIN / DATAFORSEO_PASSWORD or config.toml) it runs against
/// a built-in simulator with generated demo data.
#[derive(Debug, Parser)]
///
/// Each subcommand takes its own flags, after its name: the explorer's flags (query, source,
/// cache, budget) are not taken before a subcommand.
#[command(
    name = "backlinks",
    version,
    about,
    long_about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Domain (forbes.com), subdomain (blog.example.com) or page (`https://example.com/page`)
    /// to query at once.
    pub target: Option<String>,

    #[command(flatten)]
    pub query: QueryArgs,

    #[command(flatten)]
    pub source: SourceArgs,

    /// Use this config file instead of the default one.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// USD this session may spend before the explorer asks (overrides config `budget`).
    #[arg(long, value_name = "USD", value_parser = parse_budget)]
    pub budget: Option<f64>,
}

impl Cli {
    /// Parses the command line; the top-level fields then hold what the command runs with,
    /// whether given to the explorer or to the subcommand that took them.
    pub fn parse_args() -> Cli {
        let mut cli = Cli::parse();
        // `backlinks --demo export …`: after a flag clap takes `export` for the TARGET.
        if let Some(name) = cli.target.as_deref()
            && Cli::command().find_subcommand(name).is_some()
        {
            Cli::command()
                .error(
                    clap::error::ErrorKind::ArgumentConflict,
                    format!(
                        "`{name}` is a subcommand: give its flags after its name \
                         (`backlinks {name} --help` lists them)"
                    ),
                )
                .exit();
        }
        cli.adopt_subcommand_flags();
        cli
    }

    /// Moves a subcommand's `--config` and source flags to the top-level fields, which the
    /// commands read.
    pub fn adopt_subcommand_flags(&mut self) {
        match &self.command {
            Some(Command::Export(a)) => {
                self.config.clone_from(&a.config);
                self.source = a.source.clone();
            }
            Some(Command::Balance(a)) => {
                self.config.clone_from(&a.config);
                self.source = SourceArgs {
                    api_url: a.api_url.clone(),
                    demo: a.demo,
                    ..SourceArgs::default()
                };
            }
            Some(
                Command::Open(OpenArgs { config, .. })
                | Command::Config(ConfigArgs { config, .. })
                | Command::Diff(DiffArgs { config, .. }),
            ) => {
                self.config.clone_from(config);
            }
            Some(
                Command::ServeDemo(_)
                | Command::Completions(_)
                | Command::Man
                | Command::Disavow(_),
            )
            | None => {}
        }
    }
}

/// Where the rows come from and how the page cache is used: the explorer's and `export`'s.
#[derive(Debug, Clone, Default, Args)]
pub struct SourceArgs {
    /// API base URL: the real API, its sandbox, or a `backlinks serve-demo`.
    #[arg(long, env = "DATAFORSEO_API_URL", hide_env_values = true)]
    pub api_url: Option<String>,

    /// Use the built-in simulator even when credentials are configured.
    #[arg(long)]
    pub demo: bool,

    /// Neither read nor fill the page cache: every page is fetched (and paid for).
    #[arg(long, conflicts_with = "refresh")]
    pub no_cache: bool,

    /// Fetch every page anew (and pay for it), refreshing the page cache.
    #[arg(long)]
    pub refresh: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the API simulator as a standalone server on loopback (for curl, scripts, tests).
    ServeDemo(ServeDemoArgs),
    /// Fetch every row of a query into a file (CSV, TSV, JSON set or JSONL), with a price
    /// before it starts. Exit status: 0 complete (or stdout closed by its reader, `| head`),
    /// 1 failed, 2 bad arguments, 3 stopped (budget or Ctrl-C) with a partial file.
    Export(Box<ExportArgs>),
    /// Explore a saved file offline (our JSON set, a raw API response, JSONL, our CSV/TSV):
    /// no requests; filter and sort run locally.
    Open(OpenArgs),
    /// Show where the config file, history, views, cache and log live, which exist, every
    /// value in effect with where it came from, and any problem in the config file.
    Config(ConfigArgs),
    /// Print a completion script for a shell: bash, zsh, fish, powershell or elvish.
    Completions(CompletionsArgs),
    /// Print the man page (roff), every subcommand included: `backlinks man > backlinks.1`.
    Man,
    /// Write a Google Search Console disavow file from saved sets: `domain:` lines (or full
    /// URLs) for the rows a filter picks, merged into an existing file when asked. Exit
    /// status 2 when the file would pass Google's limits (2 MB, 100,000 lines).
    Disavow(DisavowArgs),
    /// Print the account's balance, what was deposited, and today's spend against the daily
    /// limit (free; without credentials, the built-in demo account's).
    Balance(BalanceArgs),
    /// Compare two saved sets of one target (any format `open` reads): which links are new,
    /// lost or changed. Prints each set's query and date and `5 new, 10 lost, 3 changed,
    /// 46,860 unchanged`; with -o writes those rows with `change` and `changed_fields`,
    /// without it opens the explorer over them. Exit status 2 for sets of different targets
    /// (unless --force) or a set that cannot be read.
    Diff(DiffArgs),
}

/// Flags of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier set.
    pub old: PathBuf,
    /// The later set.
    pub new: PathBuf,
    /// Write the new, lost and changed rows to this file (replaced atomically), its
    /// extension picking the format unless --format is given; `-` writes to stdout, as CSV
    /// unless --format says otherwise.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// csv, tsv, json or jsonl.
    #[arg(long, value_parser = parse_enum::<Format>, requires = "output")]
    pub format: Option<Format>,
    /// Compare sets whose saved queries name different targets.
    #[arg(long)]
    pub force: bool,
    /// Use this config file (theme, columns, keys) for the explorer instead of the default one.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// Flags of `balance`.
#[derive(Debug, Args)]
pub struct BalanceArgs {
    /// API base URL: the real API, its sandbox, or a `backlinks serve-demo`.
    #[arg(long, env = "DATAFORSEO_API_URL", hide_env_values = true)]
    pub api_url: Option<String>,
    /// Ask the built-in demo even when credentials are configured.
    #[arg(long)]
    pub demo: bool,
    /// Use this config file instead of the default one.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// Flags of `disavow`.
#[derive(Debug, Args)]
pub struct DisavowArgs {
    /// Saved sets, in any format `open` reads.
    #[arg(required = true, value_name = "SET")]
    pub sets: Vec<PathBuf>,
    /// Only the rows this filter keeps (the `--filter` syntax, evaluated locally), e.g.
    /// `domain_from_rank < 5 and dofollow = true`.
    #[arg(long, value_name = "EXPR", value_parser = parse_filter)]
    pub filter: Option<Filter>,
    /// One line per referring domain (`domain:host`) or per referring page URL.
    #[arg(long, value_enum, default_value_t = crate::disavow::By::Domain)]
    pub by: crate::disavow::By,
    /// An existing disavow file to add to: every line and comment of it is kept, in order,
    /// and only entries it lacks are added. May be the output file itself.
    #[arg(long, value_name = "FILE")]
    pub merge: Option<PathBuf>,
    /// The file to write (replaced atomically); `-` writes to stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

/// Flags of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    pub shell: clap_complete::Shell,
}

/// Flags of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Domain, subdomain or page URL.
    pub target: String,
    #[command(flatten)]
    pub query: QueryArgs,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Use this config file instead of the default one.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// The file to write, its extension picking the format unless --format is given; `-`
    /// writes to stdout, as CSV unless --format says otherwise (progress and messages stay
    /// on stderr).
    #[arg(long, short, value_name = "FILE")]
    pub output: PathBuf,
    /// csv, tsv, json (our saved set) or jsonl.
    #[arg(long, value_parser = parse_enum::<Format>)]
    pub format: Option<Format>,
    /// Write the manifest (query, rows, requests, cost, complete or partial) to FILE instead
    /// of beside the output as OUTPUT.manifest.json. With `-o -` there is none unless asked
    /// for here.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Stop after this many rows.
    #[arg(long, value_name = "N")]
    pub max_rows: Option<u64>,
    /// Go ahead even when the estimate is above the budget.
    #[arg(long, short)]
    pub yes: bool,
    /// USD an export may cost without --yes.
    #[arg(long, value_name = "USD", default_value_t = 1.0)]
    pub budget: f64,
    /// Write CSV/TSV text as it came, without the `'` put before text a spreadsheet would run
    /// as a formula (=, +, -, @, tab, CR); for scripts. Config: csv_formula_guard = false.
    #[arg(long)]
    pub no_formula_guard: bool,
    /// Take mode, settings, filter, sort and page size from a saved view (flags given here
    /// win over the view's).
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
}

/// Flags of `open`.
#[derive(Debug, Args)]
pub struct OpenArgs {
    /// A saved set (.json), a raw API response (.json), JSONL (.jsonl) or our CSV/TSV.
    pub file: PathBuf,
    /// Use this config file (theme, columns, keys) instead of the default one.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// Flags of `config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the key bindings instead, as `[keys.<pane>]` tables (overrides applied): a
    /// starting point for config.toml.
    #[arg(long)]
    pub keys: bool,
    /// Check this config file instead of the default one.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// Flags of `serve-demo`.
#[derive(Debug, Args)]
pub struct ServeDemoArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8642")]
    pub addr: SocketAddr,
    /// Number of links for every target (default: varies by target, 1,000–60,000).
    #[arg(long)]
    pub rows: Option<usize>,
    /// Seed of the generated data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Extra latency per request in milliseconds (with ±20 % jitter).
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Share of requests failing with 50000 / 50401 / 40103 (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    pub fail_rate: f64,
    /// Every request fails with 402 Payment Required.
    #[arg(long)]
    pub fail_payment: bool,
    /// Every request fails with 502 Bad Gateway and an HTML page, as from a proxy in front of
    /// a dead API.
    #[arg(long)]
    pub fail_gateway: bool,
    /// Share of responses with a truncated or non-JSON body (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    pub malformed_rate: f64,
    /// What the demo account holds at the start, USD (`/v3/appendix/user_data`).
    #[arg(long, value_name = "USD", default_value_t = crate::sim::server::DEMO_BALANCE)]
    pub balance: f64,
}

/// Query flags shared by the explorer and `export`.
#[derive(Debug, Clone, Default, Args)]
pub struct QueryArgs {
    /// Grouping: as_is, one_per_domain or one_per_anchor.
    #[arg(long, value_parser = parse_enum::<Mode>)]
    pub mode: Option<Mode>,
    /// Up to N links per distinct value of FIELD, e.g. domain_from:3.
    #[arg(long, value_name = "FIELD:N", value_parser = parse_custom_mode)]
    pub custom_mode: Option<CustomMode>,
    /// live, lost or all.
    #[arg(long, value_parser = parse_enum::<StatusType>)]
    pub status: Option<StatusType>,
    /// Filter expression, e.g. 'dofollow = true and rank > 100' (or the API's JSON form).
    #[arg(long, value_name = "EXPR", value_parser = parse_filter)]
    pub filter: Option<Filter>,
    /// Sort rule FIELD,asc|desc; repeat for up to 3 keys.
    #[arg(long, value_name = "FIELD,DIR", value_parser = parse_order_by)]
    pub order_by: Vec<OrderBy>,
    /// Leave out links to subdomains of the target.
    #[arg(long)]
    pub no_subdomains: bool,
    /// Leave out links that reach the target through a redirect or canonical.
    #[arg(long)]
    pub no_indirect: bool,
    /// Keep links from the target's own subdomains.
    #[arg(long)]
    pub include_internal: bool,
    /// Rows per request (1–1000; 1000 is the cheapest per row).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_LIMIT)))]
    pub page_size: Option<u32>,
}

impl QueryArgs {
    /// Checks what a single flag cannot: the number of sort keys.
    pub fn check(&self) -> Result<(), String> {
        if self.order_by.len() > MAX_ORDER_BY {
            return Err(format!(
                "at most {MAX_ORDER_BY} --order-by keys (the API's limit), got {}",
                self.order_by.len()
            ));
        }
        Ok(())
    }

    /// The request these flags describe for `target` (paging fields unset).
    pub fn to_request(&self, target: &str) -> LiveRequest {
        let mut r = LiveRequest::new(target);
        r.mode = self.mode;
        r.custom_mode.clone_from(&self.custom_mode);
        r.backlinks_status_type = self.status;
        r.filters.clone_from(&self.filter);
        if !self.order_by.is_empty() {
            r.order_by = Some(self.order_by.clone());
        }
        r.include_subdomains = self.no_subdomains.then_some(false);
        r.include_indirect_links = self.no_indirect.then_some(false);
        r.exclude_internal_backlinks = self.include_internal.then_some(false);
        r.limit = self.page_size;
        r
    }
}

fn parse_enum<T: std::str::FromStr<Err = String>>(s: &str) -> Result<T, String> {
    s.parse()
}

/// Parses `FIELD:N` (`--custom-mode`, views).
pub fn parse_custom_mode(s: &str) -> Result<CustomMode, String> {
    let (field, n) = s
        .split_once(':')
        .ok_or_else(|| format!("write FIELD:N, e.g. domain_from:3 (got '{s}')"))?;
    if !CUSTOM_MODE_FIELDS.contains(&field) {
        return Err(format!(
            "'{field}' cannot be grouped; use one of {}",
            CUSTOM_MODE_FIELDS.join(", ")
        ));
    }
    let value: u32 = n
        .parse()
        .ok()
        .filter(|v| (1..=MAX_CUSTOM_MODE_VALUE).contains(v))
        .ok_or_else(|| {
            format!("N must be a whole number from 1 to {MAX_CUSTOM_MODE_VALUE} (got '{n}')")
        })?;
    Ok(CustomMode {
        field: field.to_owned(),
        value,
    })
}

/// Parses and checks one sort rule `FIELD,asc|desc` (`--order-by`, views).
pub fn parse_order_by(s: &str) -> Result<OrderBy, String> {
    let rule: OrderBy = s.parse()?;
    match Catalog::get().find(&rule.field) {
        Some(f) if f.sortable => Ok(rule),
        Some(_) => Err(format!("'{}' cannot be sorted on", rule.field)),
        None => Err(format!("unknown field '{}'", rule.field)),
    }
}

fn parse_budget(s: &str) -> Result<f64, String> {
    s.trim_start_matches('$')
        .parse::<f64>()
        .ok()
        .filter(|v| *v > 0.0 && v.is_finite())
        .ok_or_else(|| format!("a budget is an amount in USD above 0, e.g. 1.50 (got '{s}')"))
}

/// Parses and validates a filter: the same checks the explorer's filter bar makes.
pub fn parse_filter(s: &str) -> Result<Filter, String> {
    let filter = Filter::parse(s).map_err(|e| e.to_string())?;
    filter.validate(Catalog::get()).map_err(|e| e.to_string())?;
    Ok(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_mode_flag() {
        assert_eq!(
            parse_custom_mode("domain_from:3").unwrap(),
            CustomMode {
                field: "domain_from".into(),
                value: 3
            }
        );
        assert!(parse_custom_mode("rank:3").is_err());
        assert!(parse_custom_mode("anchor:0").is_err());
        assert!(parse_custom_mode("anchor").is_err());
    }

    #[test]
    fn order_by_flag_checks_the_catalogue() {
        assert!(parse_order_by("domain_from_rank,desc").is_ok());
        assert!(parse_order_by("attributes,asc").is_err());
        assert!(parse_order_by("nope,asc").is_err());
    }

    #[test]
    fn flags_make_a_request() {
        let cli = Cli::parse_from([
            "backlinks",
            "forbes.com",
            "--status",
            "all",
            "--no-subdomains",
            "--include-internal",
            "--page-size",
            "500",
            "--order-by",
            "rank,asc",
        ]);
        let r = cli.query.to_request(cli.target.as_deref().unwrap());
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"target":"forbes.com","order_by":["rank,asc"],"limit":500,
              "backlinks_status_type":"all","include_subdomains":false,
              "exclude_internal_backlinks":false})
        );
    }

    #[test]
    fn a_subcommands_config_and_source_flags_are_the_ones_used() {
        let mut cli = Cli::parse_from([
            "backlinks",
            "export",
            "x.com",
            "-o",
            "-",
            "--demo",
            "--no-cache",
            "--config",
            "c.toml",
        ]);
        cli.adopt_subcommand_flags();
        assert!(cli.source.demo && cli.source.no_cache);
        assert_eq!(cli.config, Some(PathBuf::from("c.toml")));
        let mut cli = Cli::parse_from(["backlinks", "open", "f.csv", "--config", "o.toml"]);
        cli.adopt_subcommand_flags();
        assert_eq!(cli.config, Some(PathBuf::from("o.toml")));
    }

    #[test]
    fn too_many_sort_keys_are_refused() {
        let cli = Cli::parse_from([
            "backlinks",
            "x.com",
            "--order-by",
            "rank,asc",
            "--order-by",
            "tld_from,asc",
            "--order-by",
            "anchor,asc",
            "--order-by",
            "alt,asc",
        ]);
        assert!(cli.query.check().unwrap_err().contains("at most 3"));
    }
}
