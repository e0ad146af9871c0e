//! The `target` of a request: a domain/subdomain or one page (reference §2). This module
//! decides what is well-formed; which links belong to a target is the dataset's rule
//! ([`dataset::Target`](crate::sim::dataset::Target)), used by `scope`.

use crate::sim::dataset;

/// A parsed, well-formed target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A domain or subdomain, lower-case, without scheme and without `www.`.
    Domain(String),
    /// An absolute http(s) URL, normalised by `normalize_url`; `host` is its lower-case host.
    Page { url: String, host: String },
}

impl Target {
    /// Parses the `target` field; `None` when it is not well-formed.
    pub fn parse(raw: &str) -> Option<Target> {
        if raw.contains("://") {
            let url = normalize_url(raw)?;
            let host = url_host(&url)?.to_owned();
            return Some(Target::Page { url, host });
        }
        let host = raw.to_ascii_lowercase();
        if host.starts_with("www.") || !is_hostname(&host) {
            return None;
        }
        Some(Target::Domain(host))
    }

    /// The host the target names (a page's host keeps its `www.`).
    pub fn host(&self) -> &str {
        match self {
            Target::Domain(h) | Target::Page { host: h, .. } => h,
        }
    }

    /// The registrable domain whose link profile holds this target's links.
    pub fn registrable(&self) -> String {
        dataset::registrable_domain(self.host())
    }
}

/// Letters, digits and inner hyphens in at least two dot-separated labels.
fn is_hostname(h: &str) -> bool {
    if h.len() > 253 || !h.contains('.') {
        return false;
    }
    h.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    })
}

/// Trivial URL normalisation: lower-case scheme and host, no default port, no fragment, an empty
/// path becomes `/`. `None` unless it is an absolute http(s) URL with a valid host.
pub fn normalize_url(raw: &str) -> Option<String> {
    let (scheme, rest) = raw.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => ":80",
        "https" => ":443",
        _ => return None,
    };
    let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(split);
    let authority = authority.to_ascii_lowercase();
    let authority = authority.strip_suffix(default_port).unwrap_or(&authority);
    let (host, port) = match authority.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    if !is_hostname(host) || port.is_some_and(|p| p.is_empty() || p.parse::<u16>().is_err()) {
        return None;
    }
    let slash = if tail.starts_with('/') { "" } else { "/" };
    Some(format!("{scheme}://{authority}{slash}{tail}"))
}

/// The host part of a normalised URL.
fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    Some(authority.split(':').next().unwrap_or(authority))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_and_pages_parse() {
        assert_eq!(
            Target::parse("Forbes.com"),
            Some(Target::Domain("forbes.com".into()))
        );
        assert_eq!(
            Target::parse("blog.forbes.com"),
            Some(Target::Domain("blog.forbes.com".into()))
        );
        assert_eq!(
            Target::parse("HTTPS://www.Forbes.com:443#top"),
            Some(Target::Page {
                url: "https://www.forbes.com/".into(),
                host: "www.forbes.com".into()
            })
        );
        assert_eq!(
            Target::parse("http://x.com:8080?q=1").map(|t| t.host().to_owned()),
            Some("x.com".into())
        );
    }

    #[test]
    fn malformed_targets_are_refused() {
        for bad in [
            "",
            "www.forbes.com",
            "forbes",
            "forbes.com/page",
            "ftp://forbes.com/",
            "https://",
            "https://bad_host.com/",
            "-x.com",
            "x..com",
            "http://x.com:port/",
            "forbes.com ",
        ] {
            assert_eq!(Target::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn registrable_domains_follow_the_dataset() {
        let t = |s: &str| Target::parse(s).unwrap().registrable();
        assert_eq!(t("forbes.com"), "forbes.com");
        assert_eq!(t("a.b.bbc.co.uk"), "bbc.co.uk");
        assert_eq!(t("https://blog.forbes.com/x"), "forbes.com");
    }
}
