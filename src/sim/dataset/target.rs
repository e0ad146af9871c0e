//! What the user typed as `target`, and which generated links belong to it.
//!
//! A profile is generated per *registrable domain* (`forbes.com` for `blog.forbes.com` and for
//! `https://www.forbes.com/x`); the engine narrows it to the target with [`Target::matches`].

use crate::api::response::Backlink;

use super::words::words;

/// A parsed `target`: a domain/subdomain, or a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Lowercase host without scheme, port or trailing dot (`blog.example.co.uk`).
    pub host: String,
    /// The registrable domain of `host` (`example.co.uk`).
    pub domain: String,
    /// For a page target: the URL as the links of the demo point at it — the scheme as typed
    /// (`https` when none was typed), the lowercase host, the path and query as typed.
    pub page_url: Option<String>,
}

impl Target {
    /// Classifies any text a user may type. Anything with `://`, or a host followed by a path
    /// or query (`forbes.com/sites/x`), is a page; everything else is a domain or subdomain.
    pub fn parse(target: &str) -> Self {
        let text = target.trim();
        let (scheme, rest) = match text.split_once("://") {
            Some((scheme, rest)) => (Some(scheme.to_ascii_lowercase()), rest),
            None => (None, text),
        };
        let (authority, tail) = split_authority(rest);
        let host = host_of_authority(authority);
        let domain = registrable_domain(&host);
        let has_path = !tail
            .trim_start_matches('/')
            .trim_start_matches('#')
            .is_empty();
        let page_url = (scheme.is_some() || has_path).then(|| {
            let tail = tail.split('#').next().unwrap_or("");
            let tail = if tail.is_empty() { "/" } else { tail };
            format!("{}://{host}{tail}", scheme.as_deref().unwrap_or("https"))
        });
        Self {
            host,
            domain,
            page_url,
        }
    }

    pub fn is_page(&self) -> bool {
        self.page_url.is_some()
    }

    /// Whether a link's `domain_to` falls under a domain target. With `include_subdomains`
    /// false only the host itself counts — and its `www.` twin, since the API wants domain
    /// targets written without `www.` and still reports links to `www.forbes.com` for
    /// `forbes.com`. For a page target this is the host test alone; see [`Target::matches`].
    pub fn host_in_scope(&self, domain_to: &str, include_subdomains: bool) -> bool {
        let to = domain_to.to_ascii_lowercase();
        let to = to.trim_end_matches('.');
        if to == self.host || to.strip_prefix("www.") == Some(self.host.as_str()) {
            return true;
        }
        include_subdomains && is_subdomain_of(to, &self.host)
    }

    /// Whether a link's `url_to` is this page target: equal after [`page_key`] (scheme,
    /// host case, port, trailing slash and fragment ignored). False for a domain target.
    pub fn url_in_scope(&self, url_to: &str) -> bool {
        self.page_url
            .as_deref()
            .is_some_and(|page| page_key(page) == page_key(url_to))
    }

    /// Whether a referring host belongs to the target's own registrable domain — what
    /// `exclude_internal_backlinks` drops.
    pub fn is_internal(&self, domain_from: &str) -> bool {
        let from = domain_from.to_ascii_lowercase();
        let from = from.trim_end_matches('.');
        from == self.domain || is_subdomain_of(from, &self.domain)
    }

    /// Whether an item of the profile is a link to this target: `url_to` for a page target,
    /// `domain_to` under the host for a domain target.
    pub fn matches(&self, item: &Backlink, include_subdomains: bool) -> bool {
        if self.is_page() {
            item.url_to.as_deref().is_some_and(|u| self.url_in_scope(u))
        } else {
            item.domain_to
                .as_deref()
                .is_some_and(|d| self.host_in_scope(d, include_subdomains))
        }
    }
}

/// The host of a target (domain, subdomain or URL): lowercase, no scheme, userinfo, port,
/// path or trailing dot. `https://User@WWW.Forbes.com:443/x` → `www.forbes.com`.
pub fn target_host(target: &str) -> String {
    Target::parse(target).host
}

/// The registrable domain ("eTLD+1") of a host: `blog.example.co.uk` → `example.co.uk`,
/// `www.forbes.com` → `forbes.com`. Multi-label public suffixes come from the small embedded
/// list `assets/words/public_suffixes.txt`; IP addresses and single labels come back as they are.
pub fn registrable_domain(host: &str) -> String {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    if is_ip(&host) {
        return host;
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 {
        return host;
    }
    let last_two = labels[labels.len() - 2..].join(".");
    let keep = if labels.len() >= 3 && words().public_suffixes.contains(&last_two.as_str()) {
        3
    } else {
        2
    };
    labels[labels.len() - keep..].join(".")
}

/// The comparison key of a page URL: host (lowercase, no port) + path + query, without the
/// scheme, fragment or trailing slash. `http://WWW.forbes.com/x/` and `https://www.forbes.com/x`
/// share the key `www.forbes.com/x`.
pub fn page_key(url: &str) -> String {
    let text = url.trim();
    let rest = text.split_once("://").map_or(text, |(_, rest)| rest);
    let (authority, tail) = split_authority(rest);
    let tail = tail.split('#').next().unwrap_or("");
    let (path, query) = match tail.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (tail, None),
    };
    let mut key = host_of_authority(authority);
    key.push_str(path.trim_end_matches('/'));
    if let Some(query) = query {
        key.push('?');
        key.push_str(query);
    }
    key
}

/// True for a dotted IPv4 address or an IPv6 literal.
pub fn is_ip(host: &str) -> bool {
    let v4 = host.split('.').count() == 4
        && host
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()));
    v4 || host.contains(':')
}

fn is_subdomain_of(host: &str, parent: &str) -> bool {
    !parent.is_empty()
        && host
            .strip_suffix(parent)
            .is_some_and(|head| head.ends_with('.'))
}

/// Splits `host:port/path?q` into the authority and the rest (starting at `/`, `?` or `#`).
fn split_authority(rest: &str) -> (&str, &str) {
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    rest.split_at(end)
}

/// `user@Host.Example:8080` → `host.example`; `[::1]:80` → `::1`.
fn host_of_authority(authority: &str) -> String {
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(inner) = host.strip_prefix('[') {
        inner.split(']').next().unwrap_or(inner)
    } else {
        host.split(':').next().unwrap_or(host)
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrable_domain_handles_multi_label_suffixes() {
        assert_eq!(registrable_domain("forbes.com"), "forbes.com");
        assert_eq!(registrable_domain("www.forbes.com"), "forbes.com");
        assert_eq!(registrable_domain("blog.example.co.uk"), "example.co.uk");
        assert_eq!(registrable_domain("example.co.uk"), "example.co.uk");
        assert_eq!(registrable_domain("a.b.shop.com.au"), "shop.com.au");
        assert_eq!(registrable_domain("www.toyota.co.jp"), "toyota.co.jp");
        assert_eq!(registrable_domain("user.github.io"), "user.github.io");
        assert_eq!(registrable_domain("WWW.BBC.CO.UK."), "bbc.co.uk");
        assert_eq!(registrable_domain("co.uk"), "co.uk");
        assert_eq!(registrable_domain("localhost"), "localhost");
        assert_eq!(registrable_domain("192.168.1.20"), "192.168.1.20");
        assert_eq!(registrable_domain(""), "");
    }

    #[test]
    fn target_host_strips_everything_but_the_host() {
        assert_eq!(target_host("forbes.com"), "forbes.com");
        assert_eq!(target_host("  Blog.Forbes.com "), "blog.forbes.com");
        assert_eq!(
            target_host("https://user@WWW.Forbes.com:443/x?y#z"),
            "www.forbes.com"
        );
        assert_eq!(target_host("http://[::1]:8080/"), "::1");
        assert_eq!(target_host("forbes.com/sites/x"), "forbes.com");
    }

    #[test]
    fn pages_and_domains_are_told_apart() {
        let domain = Target::parse("blog.example.co.uk");
        assert_eq!(domain.domain, "example.co.uk");
        assert!(!domain.is_page());
        assert!(!Target::parse("forbes.com/").is_page());
        let page = Target::parse("https://www.forbes.com/sites/x/#top");
        assert_eq!(
            page.page_url.as_deref(),
            Some("https://www.forbes.com/sites/x/")
        );
        assert_eq!(page.domain, "forbes.com");
        let bare = Target::parse("forbes.com/sites/x");
        assert_eq!(bare.page_url.as_deref(), Some("https://forbes.com/sites/x"));
        let root = Target::parse("HTTP://Forbes.com");
        assert_eq!(root.page_url.as_deref(), Some("http://forbes.com/"));
    }

    #[test]
    fn page_scoping_ignores_scheme_and_trailing_slash_only() {
        let page = Target::parse("https://www.forbes.com/sites/x/");
        assert!(page.url_in_scope("http://www.forbes.com/sites/x"));
        assert!(page.url_in_scope("https://WWW.forbes.com:443/sites/x/#frag"));
        assert!(!page.url_in_scope("https://forbes.com/sites/x/"));
        assert!(!page.url_in_scope("https://www.forbes.com/sites/x/y"));
        assert!(!page.url_in_scope("https://www.forbes.com/sites/X/"));
        assert!(!Target::parse("forbes.com").url_in_scope("https://forbes.com/"));
        assert_eq!(page_key("https://a.com/p?q=1"), "a.com/p?q=1");
        assert_eq!(page_key("https://a.com/"), "a.com");
    }

    #[test]
    fn host_scope_follows_include_subdomains() {
        let t = Target::parse("forbes.com");
        assert!(t.host_in_scope("forbes.com", false));
        assert!(t.host_in_scope("www.forbes.com", false));
        assert!(!t.host_in_scope("blog.forbes.com", false));
        assert!(t.host_in_scope("blog.forbes.com", true));
        assert!(!t.host_in_scope("notforbes.com", true));
        let sub = Target::parse("blog.forbes.com");
        assert!(sub.host_in_scope("blog.forbes.com", false));
        assert!(!sub.host_in_scope("www.forbes.com", true));
    }

    #[test]
    fn internal_means_same_registrable_domain() {
        let t = Target::parse("https://www.forbes.com/x");
        assert!(t.is_internal("blog.forbes.com"));
        assert!(t.is_internal("forbes.com"));
        assert!(!t.is_internal("forbes.com.evil.net"));
        assert!(!t.is_internal("myforbes.com"));
    }

    #[test]
    fn ip_detection() {
        assert!(is_ip("10.0.0.1"));
        assert!(is_ip("::1"));
        assert!(!is_ip("1.2.3"));
        assert!(!is_ip("a.b.c.d"));
    }
}
