//! Marked rows: Space toggles one, `V` marks a range (first press sets the anchor, the second
//! marks anchor..=selection), `u` clears. Marks index the rows of one query and are forgotten
//! when another query starts. Saving the marked rows reads `App::marked_rows`.

use std::collections::BTreeSet;

use crate::fetch::Generation;

/// Marked row indices of the current query.
#[derive(Debug, Clone, Default)]
pub struct MarksState {
    marked: BTreeSet<usize>,
    /// Where a `V` range starts, until the second `V` (or Esc).
    pub anchor: Option<usize>,
    generation: Generation,
}

impl MarksState {
    /// Forgets everything when the rows belong to another query.
    pub fn sync(&mut self, generation: Generation) {
        if generation != self.generation {
            *self = MarksState {
                generation,
                ..MarksState::default()
            };
        }
    }

    /// Marks or unmarks `row`; true when it is now marked.
    pub fn toggle(&mut self, row: usize) -> bool {
        if self.marked.remove(&row) {
            false
        } else {
            self.marked.insert(row);
            true
        }
    }

    /// Marks every row from `a` to `b`, both included, in either order; returns how many.
    pub fn mark_range(&mut self, a: usize, b: usize) -> usize {
        let (lo, hi) = (a.min(b), a.max(b));
        self.marked.extend(lo..=hi);
        hi - lo + 1
    }

    pub fn clear(&mut self) {
        self.marked.clear();
        self.anchor = None;
    }

    pub fn is_marked(&self, row: usize) -> bool {
        self.marked.contains(&row)
    }

    /// Whether `row` lies in the range being chosen (anchor set, selection at `selected`).
    pub fn in_pending_range(&self, row: usize, selected: usize) -> bool {
        self.anchor
            .is_some_and(|a| (a.min(selected)..=a.max(selected)).contains(&row))
    }

    pub fn count(&self) -> usize {
        self.marked.len()
    }

    /// Marked row indices, ascending.
    pub fn indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.marked.iter().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggle_range_and_clear() {
        let mut m = MarksState::default();
        assert!(m.toggle(3));
        assert!(!m.toggle(3));
        assert!(m.toggle(7));
        assert_eq!(m.mark_range(5, 2), 4);
        assert_eq!(m.indices().collect::<Vec<_>>(), vec![2, 3, 4, 5, 7]);
        assert_eq!(m.count(), 5);
        m.clear();
        assert_eq!(m.count(), 0);
    }

    #[test]
    fn another_query_forgets_the_marks() {
        let mut m = MarksState::default();
        m.sync(Generation(1));
        m.toggle(1);
        m.anchor = Some(4);
        m.sync(Generation(1));
        assert!(m.is_marked(1));
        m.sync(Generation(2));
        assert!(!m.is_marked(1) && m.anchor.is_none());
    }

    #[test]
    fn the_pending_range_spans_anchor_and_selection() {
        let m = MarksState {
            anchor: Some(10),
            ..MarksState::default()
        };
        assert!(m.in_pending_range(8, 7) && m.in_pending_range(10, 7));
        assert!(!m.in_pending_range(11, 7));
    }
}
