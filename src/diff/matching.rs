//! Pairing OLD's rows with NEW's by key: pure, on the hashes alone.
//!
//! Both sides are sorted by (key, place in the file), so the rows of one link sit together in
//! file order; a merge walk then pairs the k-th repeat of a link in OLD with the k-th in NEW.
//! What is left of a link's repeats in OLD is lost, in NEW new. Sorting beats a hash map
//! here: a million 40-byte entries sort in a fraction of a second, on one core per side, and
//! the walk needs no more memory than two index lists.

use super::side::Entry;

/// Which rows are new, lost and changed (indexes into each side's entries, in file order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matched {
    /// NEW's rows with no partner in OLD.
    pub new: Vec<u32>,
    /// OLD's rows with no partner in NEW.
    pub lost: Vec<u32>,
    /// (NEW's row, OLD's row) of a link whose compared values differ; by NEW's row.
    pub changed: Vec<(u32, u32)>,
    pub unchanged: u64,
}

/// The keys of `entries` with their indexes, ordered by key, then by place. The keys are
/// copied out first: sorting indexes that point into `entries` would miss the cache on
/// every comparison.
fn by_key(entries: &[Entry]) -> Vec<(super::fields::Key, u32)> {
    let mut order: Vec<_> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key, i as u32))
        .collect();
    order.sort_unstable();
    order
}

/// Pairs the rows of `old` and `new`.
pub fn match_rows(old: &[Entry], new: &[Entry]) -> Matched {
    let (olds, news) = std::thread::scope(|scope| {
        let olds = scope.spawn(|| by_key(old));
        let news = by_key(new);
        (olds.join().unwrap_or_else(|_| by_key(old)), news)
    });
    let mut out = Matched::default();
    let (mut at_old, mut at_new) = (0, 0);
    while at_old < olds.len() && at_new < news.len() {
        let ((old_key, old_row), (new_key, new_row)) = (olds[at_old], news[at_new]);
        match old_key.cmp(&new_key) {
            std::cmp::Ordering::Less => {
                out.lost.push(old_row);
                at_old += 1;
            }
            std::cmp::Ordering::Greater => {
                out.new.push(new_row);
                at_new += 1;
            }
            std::cmp::Ordering::Equal => {
                if old[old_row as usize].values == new[new_row as usize].values {
                    out.unchanged += 1;
                } else {
                    out.changed.push((new_row, old_row));
                }
                at_old += 1;
                at_new += 1;
            }
        }
    }
    out.lost.extend(olds[at_old..].iter().map(|&(_, row)| row));
    out.new.extend(news[at_new..].iter().map(|&(_, row)| row));
    out.new.sort_unstable();
    out.lost.sort_unstable();
    out.changed.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(key: u64, values: u64) -> Entry {
        Entry {
            key: [key, 0],
            values,
            at: 0,
            len: 0,
        }
    }

    #[test]
    fn repeats_pair_in_order_and_the_rest_is_new_or_lost() {
        // Link 7 twice in OLD (values 1, 2), three times in NEW (1, 3, 9).
        let old = [e(7, 1), e(5, 0), e(7, 2)];
        let new = [e(7, 1), e(7, 3), e(6, 0), e(7, 9)];
        let m = match_rows(&old, &new);
        assert_eq!(m.unchanged, 1); // old[0] ~ new[0]
        assert_eq!(m.changed, [(1, 2)]); // the second repeats: 2 -> 3
        assert_eq!(m.new, [2, 3]); // link 6, and the third repeat of 7
        assert_eq!(m.lost, [1]); // link 5
    }

    #[test]
    fn a_set_against_itself_has_no_differences() {
        let set: Vec<Entry> = (0..1000).map(|i| e(i % 97, i)).collect();
        let m = match_rows(&set, &set);
        assert_eq!(m.unchanged, 1000);
        assert!(m.new.is_empty() && m.lost.is_empty() && m.changed.is_empty());
    }
}
