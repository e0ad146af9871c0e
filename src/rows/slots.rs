//! Which column each field of an item goes to: one table, read by the JSON and CSV indexers,
//! the filter and the sort. A field without a column is long text (or nested), read back
//! from the row's bytes when needed.

/// Number columns (`i64`, [`NULL_NUM`] for null).
pub const NUM_FIELDS: [&str; 15] = [
    "backlink_spam_score",
    "rank",
    "page_from_rank",
    "domain_from_rank",
    "page_from_external_links",
    "page_from_internal_links",
    "page_from_size",
    "page_from_status_code",
    "links_count",
    "group_count",
    "url_to_status_code",
    "url_to_spam_score",
    "ranked_keywords_info.page_from_keywords_count_top_3",
    "ranked_keywords_info.page_from_keywords_count_top_10",
    "ranked_keywords_info.page_from_keywords_count_top_100",
];
/// Where the three `ranked_keywords_info` counts start in [`NUM_FIELDS`].
pub const KW_FIRST: usize = 12;

/// True/false columns.
pub const BOOL_FIELDS: [&str; 9] = [
    "url_from_https",
    "url_to_https",
    "is_new",
    "is_lost",
    "domain_from_is_ip",
    "dofollow",
    "original",
    "is_broken",
    "is_indirect_link",
];

/// Date columns (the API's `YYYY-MM-DD HH:MM:SS +00:00`, packed).
pub const DATE_FIELDS: [&str; 3] = ["first_seen", "prev_seen", "last_seen"];

/// Short text repeated across rows: dictionary-encoded.
pub const DICT_FIELDS: [&str; 10] = [
    "type",
    "domain_from",
    "domain_to",
    "tld_from",
    "domain_from_ip",
    "domain_from_country",
    "page_from_encoding",
    "page_from_language",
    "item_type",
    "semantic_location",
];

/// Lists of short text: each distinct list is one dictionary entry.
pub const LIST_FIELDS: [&str; 2] = ["domain_from_platform_type", "attributes"];

/// A null number.
pub const NULL_NUM: i64 = i64::MIN;

/// Where a field of an item lives in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Num(usize),
    Bool(usize),
    Date(usize),
    Dict(usize),
    List(usize),
    /// `ranked_keywords_info`: its three counts go to number columns.
    Keywords,
    /// Long text, nested lists and unknown fields: only in the row's bytes.
    Long,
}

/// The slot of a top-level item key (as it appears in JSON or a CSV header).
pub fn slot(key: &str) -> Slot {
    match key {
        "backlink_spam_score" => Slot::Num(0),
        "rank" => Slot::Num(1),
        "page_from_rank" => Slot::Num(2),
        "domain_from_rank" => Slot::Num(3),
        "page_from_external_links" => Slot::Num(4),
        "page_from_internal_links" => Slot::Num(5),
        "page_from_size" => Slot::Num(6),
        "page_from_status_code" => Slot::Num(7),
        "links_count" => Slot::Num(8),
        "group_count" => Slot::Num(9),
        "url_to_status_code" => Slot::Num(10),
        "url_to_spam_score" => Slot::Num(11),
        "url_from_https" => Slot::Bool(0),
        "url_to_https" => Slot::Bool(1),
        "is_new" => Slot::Bool(2),
        "is_lost" => Slot::Bool(3),
        "domain_from_is_ip" => Slot::Bool(4),
        "dofollow" => Slot::Bool(5),
        "original" => Slot::Bool(6),
        "is_broken" => Slot::Bool(7),
        "is_indirect_link" => Slot::Bool(8),
        "first_seen" => Slot::Date(0),
        "prev_seen" => Slot::Date(1),
        "last_seen" => Slot::Date(2),
        "type" => Slot::Dict(0),
        "domain_from" => Slot::Dict(1),
        "domain_to" => Slot::Dict(2),
        "tld_from" => Slot::Dict(3),
        "domain_from_ip" => Slot::Dict(4),
        "domain_from_country" => Slot::Dict(5),
        "page_from_encoding" => Slot::Dict(6),
        "page_from_language" => Slot::Dict(7),
        "item_type" => Slot::Dict(8),
        "semantic_location" => Slot::Dict(9),
        "domain_from_platform_type" => Slot::List(0),
        "attributes" => Slot::List(1),
        "ranked_keywords_info" => Slot::Keywords,
        _ => Slot::Long,
    }
}

/// The keys of one item, read in turn: which key comes next if the item follows the
/// catalogue's order of the top-level fields (the API's, and every set this app writes it in),
/// and the slot of any key (by a hash table: one comparison, where the `match` of [`slot`]
/// makes many). A key in its usual place costs one comparison.
#[derive(Clone, Copy)]
pub struct ItemKeys {
    /// The place in the item order of the key expected next.
    next: usize,
    /// The table, looked up once per item rather than once per key.
    table: &'static Table,
}

impl Default for ItemKeys {
    fn default() -> Self {
        ItemKeys {
            next: 0,
            table: table(),
        }
    }
}

impl std::fmt::Debug for ItemKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemKeys")
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

impl ItemKeys {
    /// The key expected next (empty past the last).
    pub fn expected(&self) -> &'static str {
        self.table.order.get(self.next).copied().unwrap_or_default()
    }

    /// The expected key came: its slot.
    pub fn came(&mut self) -> Slot {
        let s = self
            .table
            .order_slots
            .get(self.next)
            .copied()
            .unwrap_or(Slot::Long);
        self.next += 1;
        s
    }

    /// Another key came: its slot; the key after it is expected next.
    pub fn other(&mut self, key: &str) -> Slot {
        let t = self.table;
        match t.keys[t.bucket(key.as_bytes())] {
            Some((k, s, at)) if super::scan::same(k.as_bytes(), key.as_bytes()) => {
                self.next = at + 1;
                s
            }
            Some(_) | None => Slot::Long,
        }
    }
}

/// Buckets of the table (a power of two).
const BUCKETS: usize = 256;

struct Table {
    seed: u64,
    /// (key, its slot, its place in `order`).
    keys: [Option<(&'static str, Slot, usize)>; BUCKETS],
    /// The item's top-level fields in the catalogue's order, and the slot of each.
    order: Vec<&'static str>,
    order_slots: Vec<Slot>,
}

impl Table {
    fn bucket(&self, key: &[u8]) -> usize {
        let word = |at: usize| match key.get(at..at + 8) {
            Some(w) => u64::from_le_bytes(w.try_into().unwrap_or_default()),
            None => key
                .iter()
                .skip(at)
                .take(8)
                .rev()
                .fold(0u64, |w, &c| (w << 8) | u64::from(c)),
        };
        let h = word(0)
            ^ word(8).rotate_left(21)
            ^ word(key.len().saturating_sub(8)).rotate_left(42)
            ^ (key.len() as u64);
        (h.wrapping_mul(self.seed) >> (64 - BUCKETS.trailing_zeros())) as usize
    }
}

/// The table of the item's fields, with the first seed under which no two keys share a
/// bucket.
fn table() -> &'static Table {
    static TABLE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let order: Vec<&'static str> = crate::api::fields::Catalog::get()
            .all()
            .iter()
            .filter(|f| f.is_top_level() && !f.local)
            .map(|f| f.name.as_str())
            .collect();
        let order_slots = order.iter().map(|k| slot(k)).collect();
        let mut t = Table {
            seed: 0x9e37_79b9_7f4a_7c15,
            keys: [None; BUCKETS],
            order,
            order_slots,
        };
        loop {
            t.keys = [None; BUCKETS];
            let fits = (0..t.order.len()).all(|at| {
                let k = t.order[at];
                let b = t.bucket(k.as_bytes());
                t.keys[b].is_none() && {
                    t.keys[b] = Some((k, t.order_slots[at], at));
                    true
                }
            });
            if fits {
                return t;
            }
            t.seed = t.seed.wrapping_add(0x6a09_e667_f3bc_c909) | 1;
        }
    })
}

/// The column of a catalogue field name (dotted for the keyword counts), for filter and sort.
pub fn column_slot(field: &str) -> Slot {
    match NUM_FIELDS[KW_FIRST..].iter().position(|f| *f == field) {
        Some(i) => Slot::Num(KW_FIRST + i),
        None => match slot(field) {
            Slot::Keywords => Slot::Long,
            s => s,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::fields::Catalog;

    #[test]
    fn item_keys_find_every_key_as_the_match_does_in_any_order() {
        let cat = Catalog::get();
        let names = cat.all().iter().map(|f| f.name.as_str());
        let odd = [
            "",
            "x",
            "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
            "page_from_rank2",
            "Rank",
        ];
        for k in names.chain(odd) {
            assert_eq!(ItemKeys::default().other(k), slot(k), "{k}");
        }
        // In the API's order each key is the one expected.
        let mut keys = ItemKeys::default();
        for k in table().order.clone() {
            assert_eq!(keys.expected(), k);
            assert_eq!(keys.came(), slot(k), "{k}");
        }
        assert_eq!(keys.expected(), "");
        // Out of order, the key after the one that came is expected next.
        let mut keys = ItemKeys::default();
        assert_eq!(keys.other("last_seen"), Slot::Date(2));
        assert_eq!(keys.expected(), "item_type");
        assert_eq!(keys.other("nope"), Slot::Long);
        assert_eq!(keys.expected(), "item_type");
    }

    #[test]
    fn the_item_order_is_the_apis() {
        let body =
            std::fs::read_to_string("tests/fixtures/backlinks_live_example_response.json").unwrap();
        let items = body.find("\"items\"").unwrap();
        let first = items + body[items..].find('{').unwrap();
        let keys: Vec<String> = crate::rows::scan::members_prefix(&body.as_bytes()[first..])
            .map(|m| m.unwrap().key().unwrap().into_owned())
            .collect();
        assert_eq!(keys, table().order, "the catalogue's order is the API's");
    }

    #[test]
    fn every_column_field_is_in_the_catalogue_and_finds_its_own_slot() {
        let cat = Catalog::get();
        for (i, f) in NUM_FIELDS.iter().enumerate() {
            assert!(cat.find(f).is_some(), "{f}");
            assert_eq!(column_slot(f), Slot::Num(i));
        }
        for (i, f) in BOOL_FIELDS.iter().enumerate() {
            assert!(cat.find(f).is_some(), "{f}");
            assert_eq!(column_slot(f), Slot::Bool(i));
        }
        for (i, f) in DATE_FIELDS.iter().enumerate() {
            assert_eq!(column_slot(f), Slot::Date(i));
        }
        for (i, f) in DICT_FIELDS.iter().enumerate() {
            assert!(cat.find(f).is_some(), "{f}");
            assert_eq!(column_slot(f), Slot::Dict(i));
        }
        for (i, f) in LIST_FIELDS.iter().enumerate() {
            assert_eq!(column_slot(f), Slot::List(i));
        }
        assert_eq!(column_slot("anchor"), Slot::Long);
        assert_eq!(column_slot("ranked_keywords_info"), Slot::Long);
    }
}
