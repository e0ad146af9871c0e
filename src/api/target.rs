//! The target of a query as the API wants it: a domain or subdomain without scheme and
//! `www.`, or an absolute http(s) page URL. The query pane and `backlinks export` both check
//! it here.

pub const TARGET_HINT: &str =
    "write forbes.com, not https://www.forbes.com, or give a full page URL";

/// Checks a target the way the API wants it: a domain or subdomain without scheme and `www.`,
/// or an absolute http(s) page URL. Returns the cleaned target.
pub fn normalize_target(raw: &str) -> Result<String, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Err("type a domain (forbes.com), subdomain or page URL".into());
    }
    let lower = t.to_ascii_lowercase();
    if let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    {
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let host = rest[..host_end].split(':').next().unwrap_or("");
        if !is_host(host) {
            return Err(format!(
                "'{t}' is not a page URL the API accepts: {TARGET_HINT}"
            ));
        }
        // Scheme and host are case-insensitive; the path is not.
        let scheme_len = t.len() - rest.len();
        let split = scheme_len + host_end;
        return Ok(format!("{}{}", &lower[..split], &t[split..]));
    }
    if lower.contains("://") || lower.contains('/') || lower.starts_with("www.") {
        return Err(TARGET_HINT.into());
    }
    if !is_host(&lower) {
        return Err(format!("'{t}' is not a domain: {TARGET_HINT}"));
    }
    Ok(lower)
}

fn is_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || !c.is_ascii())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_checked_and_cleaned() {
        assert_eq!(normalize_target(" Forbes.com ").unwrap(), "forbes.com");
        assert_eq!(
            normalize_target("blog.example.co.uk").unwrap(),
            "blog.example.co.uk"
        );
        assert_eq!(
            normalize_target("HTTPS://WWW.Forbes.com/Sites/X?a=B").unwrap(),
            "https://www.forbes.com/Sites/X?a=B"
        );
        let err = normalize_target("https://www.forbes.com").map(|_| ());
        assert!(err.is_ok(), "a bare URL is a page target");
        assert_eq!(normalize_target("www.forbes.com").unwrap_err(), TARGET_HINT);
        assert_eq!(
            normalize_target("forbes.com/path").unwrap_err(),
            TARGET_HINT
        );
        assert!(normalize_target("ftp://forbes.com").is_err());
        assert!(normalize_target("forbes").is_err());
        assert!(normalize_target("").is_err());
        assert!(normalize_target("-bad-.com").is_err());
    }
}
