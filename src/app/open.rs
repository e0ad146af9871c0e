//! `o`: the selected row's referring page in the system browser. Only http(s) URLs leave;
//! the runtime launches the browser (`Cmd::OpenUrl`), so nothing is started in tests.

use super::App;
use super::msg::Cmd;
use crate::text::{cell, sanitize};

/// Whether `url` is safe to hand to the system opener: http(s), no whitespace or controls.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && url.len() > lower.find("//").map_or(0, |i| i + 2)
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        && sanitize(url) == url
}

impl App {
    pub(super) fn open_in_browser(&mut self) -> Vec<Cmd> {
        let Some(url) = self
            .results
            .selected_item()
            .and_then(|i| i.url_from.clone())
        else {
            self.status.note = Some("no url_from to open".into());
            return Vec::new();
        };
        if !is_web_url(&url) {
            self.status.error = Some(format!("not opening {}: only http(s) URLs", cell(&url, 60)));
            return Vec::new();
        }
        self.status.note = Some(format!("opening {} in the browser", cell(&url, 60)));
        vec![Cmd::OpenUrl(url)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_web_urls_open() {
        assert!(is_web_url("https://www.opencart.com/"));
        assert!(is_web_url("HTTP://example.com/a?b=c"));
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "ftp://x.com/",
            "https://",
            "https://x.com/ --new-window",
            "https://x.com/\u{1b}[2J",
            "https://x.com/\u{202e}",
            "-https://x.com",
        ] {
            assert!(!is_web_url(bad), "{bad:?}");
        }
    }
}
