//! Which stored links a request is about, before filters: status type, target, and the
//! `include_subdomains` / `exclude_internal_backlinks` / `include_indirect_links` switches
//! (reference §2, §12.5).
//!
//! Target rules are the dataset's ([`dataset::Target`]), so a generated profile and the engine
//! agree on what a target covers: a domain target also covers its `www.` twin when
//! `include_subdomains` is false; a page target matches `url_to` ignoring scheme, port, host
//! case, trailing slash and fragment; "internal" means under the target's registrable domain.

use super::query::Query;
use crate::api::request::StatusType;
use crate::api::response::Backlink;
use crate::sim::dataset;

/// The request's scope, resolved once.
#[derive(Debug)]
pub struct Scope {
    target: dataset::Target,
    status: StatusType,
    include_subdomains: bool,
    include_indirect_links: bool,
    exclude_internal_backlinks: bool,
}

impl Scope {
    pub fn new(q: &Query) -> Self {
        Self {
            target: dataset::Target::parse(&q.target_raw),
            status: q.status,
            include_subdomains: q.include_subdomains,
            include_indirect_links: q.include_indirect_links,
            exclude_internal_backlinks: q.exclude_internal_backlinks,
        }
    }

    /// Whether the stored link belongs to the request, filters aside.
    pub fn admits(&self, b: &Backlink) -> bool {
        let to_ok = b.domain_to.as_deref().is_some_and(|h| self.host_hits(h));
        let internal = b
            .domain_from
            .as_deref()
            .is_some_and(|h| self.is_internal(h));
        self.admits_with(b, to_ok, internal)
    }

    /// [`Scope::admits`] with the host tests already made (per distinct host, by the index).
    pub fn admits_with(&self, b: &Backlink, to_ok: bool, from_internal: bool) -> bool {
        let lost = b.is_lost == Some(true);
        let status_ok = match self.status {
            StatusType::Live => !lost,
            StatusType::Lost => lost,
            StatusType::All => true,
        };
        status_ok
            && to_ok
            && (self.include_indirect_links || b.is_indirect_link != Some(true))
            && !(self.exclude_internal_backlinks && from_internal)
            && self.page_hits(b)
    }

    /// A link from host `from` is internal: it lies under the target's registrable domain.
    pub fn is_internal(&self, from: &str) -> bool {
        self.target.is_internal(from)
    }

    /// A link to host `to` can hit the target. Page targets are decided by the URL alone.
    pub fn host_hits(&self, to: &str) -> bool {
        self.target.is_page() || self.target.host_in_scope(to, self.include_subdomains)
    }

    fn page_hits(&self, b: &Backlink) -> bool {
        !self.target.is_page()
            || b.url_to
                .as_deref()
                .is_some_and(|u| self.target.url_in_scope(u))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn link(from: &str, to_host: &str, url_to: &str) -> Backlink {
        Backlink {
            domain_from: Some(from.into()),
            url_from: Some(format!("https://{from}/p")),
            domain_to: Some(to_host.into()),
            url_to: Some(url_to.into()),
            is_lost: Some(false),
            is_indirect_link: Some(false),
            ..Backlink::default()
        }
    }

    fn scope_admits(req: &serde_json::Value, b: &Backlink) -> bool {
        let q = Query::parse(req).unwrap();
        Scope::new(&q).admits(b)
    }

    #[test]
    fn status_type_selects_live_lost_or_all() {
        let mut lost = link("a.org", "forbes.com", "https://forbes.com/");
        lost.is_lost = Some(true);
        let live = link("a.org", "forbes.com", "https://forbes.com/");
        let t = |s: &str, b: &Backlink| {
            scope_admits(&json!({"target":"forbes.com","backlinks_status_type":s}), b)
        };
        assert!(t("live", &live) && !t("live", &lost));
        assert!(!t("lost", &live) && t("lost", &lost));
        assert!(t("all", &live) && t("all", &lost));
        assert!(
            scope_admits(&json!({"target":"forbes.com"}), &live),
            "live by default"
        );
    }

    #[test]
    fn subdomains_are_included_unless_switched_off() {
        let blog = link("a.org", "blog.forbes.com", "https://blog.forbes.com/x");
        let www = link("a.org", "www.forbes.com", "https://www.forbes.com/x");
        let other = link("a.org", "notforbes.com", "https://notforbes.com/");
        assert!(scope_admits(&json!({"target":"forbes.com"}), &blog));
        assert!(!scope_admits(&json!({"target":"forbes.com"}), &other));
        let off = json!({"target":"forbes.com","include_subdomains":false});
        assert!(!scope_admits(&off, &blog));
        assert!(scope_admits(&off, &www), "www. is the domain itself");
        let sub = json!({"target":"blog.forbes.com"});
        assert!(scope_admits(&sub, &blog));
        assert!(!scope_admits(&sub, &www));
    }

    #[test]
    fn page_targets_match_the_normalised_url() {
        let b = link("a.org", "www.forbes.com", "https://www.forbes.com/sites/x/");
        for same in [
            "https://WWW.forbes.com:443/sites/x/#top",
            "https://www.forbes.com/sites/x",
            "http://www.forbes.com/sites/x/",
        ] {
            assert!(scope_admits(&json!({ "target": same }), &b), "{same}");
        }
        for other in [
            "https://forbes.com/sites/x/",
            "https://www.forbes.com/sites/X/",
        ] {
            assert!(!scope_admits(&json!({ "target": other }), &b), "{other}");
        }
    }

    #[test]
    fn internal_links_are_excluded_by_default() {
        let internal = link(
            "blog.forbes.com",
            "www.forbes.com",
            "https://www.forbes.com/",
        );
        assert!(!scope_admits(&json!({"target":"forbes.com"}), &internal));
        let sibling = link(
            "blog.forbes.com",
            "news.forbes.com",
            "https://news.forbes.com/",
        );
        assert!(
            !scope_admits(&json!({"target":"news.forbes.com"}), &sibling),
            "internal means under the registrable domain, not under the target"
        );
        assert!(scope_admits(
            &json!({"target":"forbes.com","exclude_internal_backlinks":false}),
            &internal
        ));
    }

    #[test]
    fn indirect_links_can_be_dropped() {
        let mut b = link("a.org", "forbes.com", "https://forbes.com/");
        b.is_indirect_link = Some(true);
        assert!(scope_admits(&json!({"target":"forbes.com"}), &b));
        assert!(!scope_admits(
            &json!({"target":"forbes.com","include_indirect_links":false}),
            &b
        ));
    }
}
