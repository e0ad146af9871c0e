//! The builder's draft: a filter expression as an editable tree. The root is always a group
//! (its logic is editable too); every other node is addressed by its path of child indices.
//! Operations keep the tree free of empty groups, so what is drawn is what will be sent.

use crate::api::filter::{Condition, Filter, Group, Logic};

/// Child indices from the root to a node; the root is the empty path.
pub type Path = Vec<usize>;

/// The expression being edited.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub root: Group,
}

/// What one line of the tree view shows.
#[derive(Debug, Clone, PartialEq)]
pub enum RowNode {
    Group { logic: Logic, conditions: usize },
    Cond(Condition),
}

/// One line of the tree view, in display order.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeRow {
    pub path: Path,
    pub depth: usize,
    /// The logic word joining this node to the previous sibling (none for a first child).
    pub joiner: Option<Logic>,
    pub node: RowNode,
}

/// The other logic word.
pub fn flip(l: Logic) -> Logic {
    match l {
        Logic::And => Logic::Or,
        Logic::Or => Logic::And,
    }
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            root: Group {
                logic: Logic::And,
                items: Vec::new(),
            },
        }
    }
}

impl Draft {
    /// The tree of an expression (a lone condition becomes the only child of an `and` root).
    pub fn from_filter(f: Option<&Filter>) -> Draft {
        match f.map(Filter::normalized) {
            None => Draft::default(),
            Some(Filter::Group(g)) => Draft { root: g },
            Some(cond) => Draft {
                root: Group {
                    logic: Logic::And,
                    items: vec![cond],
                },
            },
        }
    }

    /// The expression to send, normalised; `None` when the tree is empty.
    pub fn to_filter(&self) -> Option<Filter> {
        if self.root.items.is_empty() {
            None
        } else {
            Some(Filter::Group(self.root.clone()).normalized())
        }
    }

    pub fn condition_count(&self) -> usize {
        self.root.items.iter().map(Filter::condition_count).sum()
    }

    /// The lines of the tree view: the root, then every node depth-first.
    pub fn rows(&self) -> Vec<TreeRow> {
        let mut out = vec![TreeRow {
            path: Vec::new(),
            depth: 0,
            joiner: None,
            node: RowNode::Group {
                logic: self.root.logic,
                conditions: self.condition_count(),
            },
        }];
        push_rows(&self.root, &mut Vec::new(), 1, &mut out);
        out
    }

    /// The node at `path`; `None` for the root (a group, see `group`) or a path that is gone.
    pub fn get(&self, path: &[usize]) -> Option<&Filter> {
        let (last, parent) = path.split_last()?;
        self.group(parent)?.items.get(*last)
    }

    /// The group at `path` (the root for the empty path).
    pub fn group(&self, path: &[usize]) -> Option<&Group> {
        let mut g = &self.root;
        for i in path {
            match g.items.get(*i)? {
                Filter::Group(inner) => g = inner,
                Filter::Cond(_) => return None,
            }
        }
        Some(g)
    }

    fn group_mut(&mut self, path: &[usize]) -> Option<&mut Group> {
        let mut g = &mut self.root;
        for i in path {
            match g.items.get_mut(*i)? {
                Filter::Group(inner) => g = inner,
                Filter::Cond(_) => return None,
            }
        }
        Some(g)
    }

    /// Adds `f` next to the selection: inside a selected group (as its last item), or right
    /// after a selected condition. Returns the new node's path.
    pub fn insert(&mut self, at: &[usize], f: Filter) -> Path {
        if self.group(at).is_some() {
            let Some(g) = self.group_mut(at) else {
                return Vec::new();
            };
            g.items.push(f);
            let mut p = at.to_vec();
            p.push(g.items.len() - 1);
            return p;
        }
        let Some((last, parent)) = at.split_last() else {
            return Vec::new();
        };
        let Some(g) = self.group_mut(parent) else {
            return Vec::new();
        };
        let i = (*last + 1).min(g.items.len());
        g.items.insert(i, f);
        let mut p = parent.to_vec();
        p.push(i);
        p
    }

    /// Replaces the node at `path` (not the root).
    pub fn replace(&mut self, path: &[usize], f: Filter) -> bool {
        let Some((last, parent)) = path.split_last() else {
            return false;
        };
        match self.group_mut(parent).and_then(|g| g.items.get_mut(*last)) {
            Some(slot) => {
                *slot = f;
                true
            }
            None => false,
        }
    }

    /// Adds `f` so that the whole expression becomes `old and f`, like `Filter::and`: into an
    /// `and` root, else under a new `and` root. Presets and quick filters use it; they never
    /// replace what is there. Returns the new node's path.
    pub fn and(&mut self, f: Filter) -> Path {
        if self.root.logic == Logic::Or && self.root.items.len() > 1 {
            let old = std::mem::replace(
                &mut self.root,
                Group {
                    logic: Logic::And,
                    items: Vec::new(),
                },
            );
            self.root.items.push(Filter::Group(old));
        }
        // An `or` of at most one item means the same as an `and` of it.
        self.root.logic = Logic::And;
        self.root.items.push(f);
        vec![self.root.items.len() - 1]
    }

    /// Deletes the node at `path` (the root: everything), then any group left empty. Returns
    /// the path to select next: the previous sibling, else the parent.
    pub fn remove(&mut self, path: &[usize]) -> Path {
        let Some((last, parent)) = path.split_last() else {
            self.root.items.clear();
            return Vec::new();
        };
        let Some(g) = self.group_mut(parent) else {
            return Vec::new();
        };
        if *last >= g.items.len() {
            return parent.to_vec();
        }
        g.items.remove(*last);
        if g.items.is_empty() && !parent.is_empty() {
            return self.remove(parent);
        }
        let mut p = parent.to_vec();
        if *last > 0 {
            p.push(last - 1);
        } else if !g.items.is_empty() {
            p.push(0);
        }
        p
    }

    /// Swaps the node with its previous (`up`) or next sibling; `None` at the edge.
    pub fn move_by(&mut self, path: &[usize], up: bool) -> Option<Path> {
        let (last, parent) = path.split_last()?;
        let g = self.group_mut(parent)?;
        let j = if up {
            last.checked_sub(1)?
        } else {
            Some(last + 1).filter(|j| *j < g.items.len())?
        };
        g.items.swap(*last, j);
        let mut p = parent.to_vec();
        p.push(j);
        Some(p)
    }

    /// Wraps sibling nodes in a new group at the place of the first. The group takes the other
    /// logic word than its parent's (a group of the same logic would mean nothing); `o` changes
    /// it. Returns the group's path.
    pub fn wrap(&mut self, paths: &[Path]) -> Result<Path, String> {
        let Some(first) = paths.first() else {
            return Err("select or mark the conditions to group".into());
        };
        let Some((_, parent)) = first.split_last() else {
            return Err("the whole expression is a group already".into());
        };
        if paths
            .iter()
            .any(|p| p.split_last().map(|(_, par)| par) != Some(parent))
        {
            return Err("marked nodes must be in the same group to be grouped".into());
        }
        let mut idx: Vec<usize> = paths.iter().filter_map(|p| p.last().copied()).collect();
        idx.sort_unstable();
        idx.dedup();
        let parent = parent.to_vec();
        let g = self
            .group_mut(&parent)
            .ok_or_else(|| "that group is gone".to_owned())?;
        if idx.iter().any(|i| *i >= g.items.len()) {
            return Err("that node is gone".into());
        }
        let mut items: Vec<Filter> = idx.iter().rev().map(|i| g.items.remove(*i)).collect();
        items.reverse();
        let at = idx[0];
        g.items.insert(
            at,
            Filter::Group(Group {
                logic: flip(g.logic),
                items,
            }),
        );
        let mut p = parent;
        p.push(at);
        Ok(p)
    }

    /// Replaces the group at `path` by its items. Returns the path of the first of them.
    pub fn unwrap(&mut self, path: &[usize]) -> Result<Path, String> {
        let Some((last, parent)) = path.split_last() else {
            return Err("the top group cannot be ungrouped; o switches its and / or".into());
        };
        let g = self
            .group_mut(parent)
            .ok_or_else(|| "that group is gone".to_owned())?;
        match g.items.get(*last) {
            Some(Filter::Group(_)) => {}
            _ => return Err("select a group to ungroup".into()),
        }
        let Filter::Group(inner) = g.items.remove(*last) else {
            return Err("select a group to ungroup".into());
        };
        let n = inner.items.len();
        for (k, item) in inner.items.into_iter().enumerate() {
            g.items.insert(last + k, item);
        }
        let mut p = parent.to_vec();
        if n > 0 {
            p.push(*last);
        }
        Ok(p)
    }

    /// Switches the group at `path` between `and` and `or`.
    pub fn toggle_logic(&mut self, path: &[usize]) -> Result<Logic, String> {
        let g = self
            .group_mut(path)
            .ok_or_else(|| "select a group (or the top line) to switch and / or".to_owned())?;
        g.logic = flip(g.logic);
        Ok(g.logic)
    }
}

fn push_rows(g: &Group, path: &mut Path, depth: usize, out: &mut Vec<TreeRow>) {
    for (i, item) in g.items.iter().enumerate() {
        path.push(i);
        let joiner = (i > 0).then_some(g.logic);
        match item {
            Filter::Cond(c) => out.push(TreeRow {
                path: path.clone(),
                depth,
                joiner,
                node: RowNode::Cond(c.clone()),
            }),
            Filter::Group(inner) => {
                out.push(TreeRow {
                    path: path.clone(),
                    depth,
                    joiner,
                    node: RowNode::Group {
                        logic: inner.logic,
                        conditions: item.condition_count(),
                    },
                });
                push_rows(inner, path, depth + 1, out);
            }
        }
        path.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(text: &str) -> Draft {
        Draft::from_filter(Some(&Filter::parse(text).unwrap()))
    }

    fn text(d: &Draft) -> String {
        d.to_filter().map(|f| f.to_string()).unwrap_or_default()
    }

    #[test]
    fn rows_list_every_node_with_its_joiner() {
        let d = draft("a = 1 and (b = 2 or c = 3)");
        let rows = d.rows();
        let paths: Vec<Path> = rows.iter().map(|r| r.path.clone()).collect();
        assert_eq!(
            paths,
            vec![vec![], vec![0], vec![1], vec![1, 0], vec![1, 1]]
        );
        assert_eq!(rows[2].joiner, Some(Logic::And));
        assert_eq!(rows[4].joiner, Some(Logic::Or));
        assert_eq!(rows[4].depth, 2);
    }

    #[test]
    fn remove_drops_groups_left_empty() {
        let mut d = draft("a = 1 and (b = 2 or c = 3)");
        let next = d.remove(&[1, 1]);
        assert_eq!(next, vec![1, 0]);
        d.remove(&[1, 0]);
        assert_eq!(text(&d), "a = 1");
        assert_eq!(d.root.items.len(), 1, "the empty group went too");
    }

    #[test]
    fn wrap_then_unwrap_restores() {
        let mut d = draft("a = 1 and b = 2 and c = 3");
        let g = d.wrap(&[vec![1], vec![2]]).unwrap();
        assert_eq!(g, vec![1]);
        assert_eq!(text(&d), "a = 1 and (b = 2 or c = 3)");
        d.unwrap(&g).unwrap();
        assert_eq!(text(&d), "a = 1 and b = 2 and c = 3");
        assert!(d.wrap(&[vec![0], vec![1, 0]]).is_err());
    }
}
