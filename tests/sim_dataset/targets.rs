//! Domain, subdomain and page targets: which profile they get and which links are theirs.

use backlinks::api::response::Backlink;
use backlinks::sim::dataset::{EXTRA_LINKS, Target, generate, profile_size, registrable_domain};

use super::rows;

#[test]
fn subdomain_and_page_targets_reuse_the_domain_profile() {
    let cfg = rows(2_000);
    let domain = generate("forbes.com", &cfg);
    assert_eq!(generate("blog.forbes.com", &cfg), domain);
    assert_eq!(generate("www.forbes.com", &cfg), domain);
    assert_eq!(
        generate("https://www.forbes.com/", &cfg),
        domain,
        "the home page is covered"
    );
    let blog = Target::parse("blog.forbes.com");
    let on_blog = domain.iter().filter(|i| blog.matches(i, true)).count();
    assert!(on_blog > 0 && on_blog < domain.len() / 2, "{on_blog}");
}

#[test]
fn any_page_a_user_types_has_links() {
    let cfg = rows(2_000);
    let domain = generate("forbes.com", &cfg);
    let url = "https://www.forbes.com/sites/someone/2024/01/02/not-generated/";
    let page = generate(url, &cfg);
    assert_eq!(
        &page[..domain.len()],
        &domain[..],
        "the profile comes first, unchanged"
    );
    let target = Target::parse(url);
    let matching: Vec<&Backlink> = page.iter().filter(|i| target.matches(i, true)).collect();
    assert_eq!(matching.len(), page.len() - domain.len());
    assert!((EXTRA_LINKS.0..=EXTRA_LINKS.1).contains(&matching.len()));
    assert!(matching.iter().all(|i| i.url_to.as_deref() == Some(url)));
    assert_eq!(profile_size(url, &cfg), page.len());
    // Trivial variants of the URL select the same links; another page does not.
    assert!(
        Target::parse("http://www.forbes.com/sites/someone/2024/01/02/not-generated")
            .matches(matching[0], true)
    );
    assert!(
        !Target::parse("https://forbes.com/sites/someone/2024/01/02/not-generated/")
            .matches(matching[0], true)
    );
    // Typed twice, the same links; another page gets others.
    assert_eq!(generate(url, &cfg), page);
    assert_ne!(
        generate("https://www.forbes.com/other/", &cfg)[domain.len()..],
        page[domain.len()..]
    );
}

#[test]
fn an_uncovered_subdomain_gets_its_own_links() {
    let cfg = rows(1_000);
    let items = generate("docs-unknown.forbes.com", &cfg);
    let target = Target::parse("docs-unknown.forbes.com");
    let own = items.iter().filter(|i| target.matches(i, false)).count();
    assert_eq!(own, items.len() - 1_000);
    assert!((EXTRA_LINKS.0..=EXTRA_LINKS.1).contains(&own));
}

#[test]
fn registrable_domains_of_common_targets() {
    for (host, domain) in [
        ("forbes.com", "forbes.com"),
        ("www.forbes.com", "forbes.com"),
        ("blog.example.co.uk", "example.co.uk"),
        ("shop.example.com.au", "example.com.au"),
        ("news.example.co.jp", "example.co.jp"),
        ("a.b.c.example.org", "example.org"),
        ("10.1.2.3", "10.1.2.3"),
    ] {
        assert_eq!(registrable_domain(host), domain, "{host}");
    }
    assert_eq!(
        Target::parse("https://Blog.Example.co.uk/x").domain,
        "example.co.uk"
    );
}
