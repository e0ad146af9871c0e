//! `backlinks completions SHELL` and `backlinks man`: generated from the same clap
//! definitions as the parser, so they cannot drift from the flags. Both are built in memory
//! and then written, so a closed stdout is an error we return (quietly) rather than the panic
//! of a generator writing straight to it.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

use super::CommandError;

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> Result<(), CommandError> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "backlinks", &mut script);
    let mut out = super::stdout();
    out.write_all(&script)?;
    Ok(out.flush()?)
}

/// The man page: the top-level page, then a section per subcommand with its synopsis,
/// description and options.
pub fn man() -> Result<(), CommandError> {
    let mut out = super::stdout();
    out.write_all(&man_page()?)?;
    Ok(out.flush()?)
}

/// The roff text of the man page, `.TH` first.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let cmd = Cli::command();
    let mut top = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut top)?;
    let top = String::from_utf8_lossy(&top).into_owned();
    // clap_mangen opens with the definition of `\*(Aq` (an apostrophe that survives groff);
    // the title comes first so the page starts the way man pages do.
    let (title, rest): (Vec<&str>, Vec<&str>) = top.lines().partition(|l| l.starts_with(".TH "));
    let mut page = Vec::new();
    for line in title.into_iter().chain(rest) {
        writeln!(page, "{line}")?;
    }
    for sub in cmd.get_subcommands() {
        let name = format!("backlinks {}", sub.get_name());
        let man = clap_mangen::Man::new(sub.clone().name(name.clone()).bin_name(name.clone()));
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part)?;
        man.render_description_section(&mut part)?;
        man.render_options_section(&mut part)?;
        writeln!(page, ".SH \"{}\"", name.to_uppercase())?;
        for line in String::from_utf8_lossy(&part).lines() {
            // The subcommand's own sections become subsections of its section; `\*(Aq` is
            // defined once, above.
            if line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq") {
                continue;
            }
            match line.strip_prefix(".SH ") {
                Some(title) => writeln!(page, ".SS {title}")?,
                None => writeln!(page, "{line}")?,
            }
        }
    }
    Ok(page)
}
