//! `rank_scale`: rank fields shown (and filtered, and sorted) in 0–1000 or 0–100
//! (DESIGN.md §6.8). Profiles store the 0–1000 values; `one_hundred` divides by ten, rounded.

use crate::api::filter::{CompiledFilter, Filter};
use crate::api::request::RankScale;
use crate::api::response::Backlink;

/// The fields `rank_scale` applies to.
pub const RANK_FIELDS: [&str; 3] = ["rank", "page_from_rank", "domain_from_rank"];

pub fn is_rank_field(name: &str) -> bool {
    RANK_FIELDS.contains(&name)
}

/// A stored (0–1000) rank in the requested scale; halves round away from zero.
pub fn scale_rank(v: i64, scale: RankScale) -> i64 {
    match scale {
        RankScale::OneThousand => v,
        RankScale::OneHundred => (v as f64 / 10.0).round() as i64,
    }
}

/// Rewrites the rank fields of an item about to be returned.
pub fn scale_item(item: &mut Backlink, scale: RankScale) {
    if scale == RankScale::OneThousand {
        return;
    }
    for r in [
        &mut item.rank,
        &mut item.page_from_rank,
        &mut item.domain_from_rank,
    ] {
        *r = r.map(|v| scale_rank(v, scale));
    }
}

/// The request's filter, evaluated on items as the response would show them.
///
/// With `one_hundred` and a condition on a rank field, the shared evaluator must see scaled
/// ranks. Rather than cloning whole items, the fields the filter reads are copied into one
/// scratch item (`clone_from` reuses its buffers) and its ranks are scaled there.
#[derive(Debug)]
pub struct ScaledFilter<'q> {
    compiled: &'q CompiledFilter,
    /// Fields to copy into the scratch item; `None` when items can be tested as stored.
    project: Option<Vec<String>>,
}

impl<'q> ScaledFilter<'q> {
    pub fn new(filter: &Filter, compiled: &'q CompiledFilter, scale: RankScale) -> Self {
        let mut fields = Vec::new();
        collect_fields(filter, &mut fields);
        let needs = scale != RankScale::OneThousand && fields.iter().any(|f| is_rank_field(f));
        Self {
            compiled,
            project: needs.then_some(fields),
        }
    }

    /// Whether `item` passes; `scratch` is a reusable buffer owned by the caller.
    pub fn matches(&self, item: &Backlink, scratch: &mut Backlink) -> bool {
        let Some(fields) = &self.project else {
            return self.compiled.matches(item);
        };
        for f in fields {
            copy_field(scratch, item, f);
        }
        scale_item(scratch, RankScale::OneHundred);
        self.compiled.matches(scratch)
    }
}

fn collect_fields(f: &Filter, out: &mut Vec<String>) {
    match f {
        Filter::Cond(c) => {
            if !out.contains(&c.field) {
                out.push(c.field.clone());
            }
        }
        Filter::Group(g) => g.items.iter().for_each(|i| collect_fields(i, out)),
    }
}

macro_rules! copy_named {
    ($dst:ident, $src:ident, $name:ident; $($field:ident),+ $(,)?) => {
        match $name {
            $(stringify!($field) => $dst.$field.clone_from(&$src.$field),)+
            "type" => $dst.kind.clone_from(&$src.kind),
            n if n.starts_with("ranked_keywords_info") => {
                $dst.ranked_keywords_info.clone_from(&$src.ranked_keywords_info);
            }
            _ => {}
        }
    };
}

/// Copies the field named `name` (catalogue name) from `src` into `dst`.
fn copy_field(dst: &mut Backlink, src: &Backlink, name: &str) {
    copy_named!(dst, src, name;
        domain_from, url_from, url_from_https, domain_to, url_to, url_to_https, tld_from, is_new,
        is_lost, backlink_spam_score, rank, page_from_rank, domain_from_rank,
        domain_from_platform_type, domain_from_is_ip, domain_from_ip, domain_from_country,
        page_from_external_links, page_from_internal_links, page_from_size, page_from_encoding,
        page_from_language, page_from_title, page_from_status_code, first_seen, prev_seen,
        last_seen, item_type, attributes, dofollow, original, alt, image_url, anchor, text_pre,
        text_post, semantic_location, links_count, group_count, is_broken, url_to_status_code,
        url_to_spam_score, url_to_redirect_target, is_indirect_link, indirect_link_path,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::fields::Catalog;

    #[test]
    fn scaling_rounds_to_the_nearest_tenth() {
        let s = RankScale::OneHundred;
        assert_eq!(
            [0, 4, 5, 14, 15, 995, 1000].map(|v| scale_rank(v, s)),
            [0, 0, 1, 1, 2, 100, 100]
        );
        assert_eq!(scale_rank(864, RankScale::OneThousand), 864);
    }

    #[test]
    fn scale_item_touches_only_rank_fields() {
        let mut item = Backlink {
            rank: Some(864),
            page_from_rank: None,
            domain_from_rank: Some(15),
            backlink_spam_score: Some(55),
            ..Backlink::default()
        };
        scale_item(&mut item, RankScale::OneHundred);
        assert_eq!(
            (
                item.rank,
                item.page_from_rank,
                item.domain_from_rank,
                item.backlink_spam_score
            ),
            (Some(86), None, Some(2), Some(55))
        );
    }

    #[test]
    fn filters_on_rank_fields_see_the_requested_scale() {
        let filter = Filter::from_wire(&serde_json::json!([
            ["rank", ">=", 86],
            "and",
            ["anchor", "=", "a"]
        ]))
        .unwrap();
        let compiled = CompiledFilter::new(&filter).unwrap();
        let item = |rank| Backlink {
            rank: Some(rank),
            anchor: Some("a".into()),
            ..Backlink::default()
        };
        let hundred = ScaledFilter::new(&filter, &compiled, RankScale::OneHundred);
        let thousand = ScaledFilter::new(&filter, &compiled, RankScale::OneThousand);
        let mut scratch = Backlink::default();
        assert!(hundred.matches(&item(855), &mut scratch), "855 shows as 86");
        assert!(
            !hundred.matches(&item(854), &mut scratch),
            "854 shows as 85"
        );
        assert!(thousand.matches(&item(86), &mut scratch));
        assert!(!thousand.matches(&item(85), &mut scratch));
        let mut other = item(900);
        other.anchor = Some("b".into());
        assert!(
            !hundred.matches(&other, &mut scratch),
            "other fields are copied too"
        );
    }

    #[test]
    fn every_filterable_field_can_be_copied() {
        let fixture =
            std::fs::read_to_string("tests/fixtures/backlinks_live_example_response.json").unwrap();
        let env: crate::api::Envelope = serde_json::from_str(&fixture).unwrap();
        let src = &env.first_result().unwrap().items.as_ref().unwrap()[0];
        let mut dst = Backlink::default();
        for f in Catalog::get().filterable() {
            copy_field(&mut dst, src, &f.name);
            assert_eq!(dst.field(&f.name), src.field(&f.name), "{}", f.name);
        }
    }
}
