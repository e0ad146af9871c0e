//! `backlinks diff OLD NEW`: which links a target won, lost or saw change between two saved
//! sets, in any format `open` reads.
//!
//! - **The same link**: equal `url_from`, `url_to`, `item_type` and `anchor`. A link that
//!   appears several times in one set is matched in order: the k-th in OLD with the k-th in
//!   NEW.
//! - **Changed**: in both, but `dofollow`, `attributes`, `is_broken`, `url_to_status_code`,
//!   `url_to_redirect_target`, `semantic_location` or `original` differ (compared as
//!   written: a list in another order is a change); `changed_fields` names them.
//!
//! Memory stays small however big the sets: per row only a 128-bit hash of its key, a 64-bit
//! hash of its compared values and its place in the file ([`side`]), paired by sorting
//! ([`matching`]). Only the rows written out are read back. A hash collision between two
//! different links is a chance of about 2^-128 per pair; two different values of one link
//! hashing alike (the change missed), 2^-64.
//!
//! Pure but [`side`] (which reads the files) and [`Diff::write`].

pub mod fields;
pub mod matching;
pub mod side;

use std::collections::HashMap;
use std::fmt;

use thiserror::Error;

use crate::api::response::Backlink;
use crate::store::{SetWriter, StoreError};
use crate::text::group;

use fields::LinkFields;
use matching::Matched;
use side::Side;

/// What can stop a diff.
#[derive(Debug, Error)]
pub enum DiffError {
    /// A set could not be read (the message names it).
    #[error("{0}")]
    Read(String),
    #[error(transparent)]
    Write(#[from] StoreError),
}

/// A row's `change`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    New,
    Lost,
    Changed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Lost => "lost",
            Change::Changed => "changed",
        }
    }
}

/// The counts of a diff.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub new: u64,
    pub lost: u64,
    pub changed: u64,
    pub unchanged: u64,
}

impl Summary {
    pub fn of(m: &Matched) -> Summary {
        Summary {
            new: m.new.len() as u64,
            lost: m.lost.len() as u64,
            changed: m.changed.len() as u64,
            unchanged: m.unchanged,
        }
    }

    /// Rows the output holds.
    pub fn differences(&self) -> u64 {
        self.new + self.lost + self.changed
    }
}

/// `5 new, 10 lost, 3 changed, 46,860 unchanged`.
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} new, {} lost, {} changed, {} unchanged",
            group(self.new),
            group(self.lost),
            group(self.changed),
            group(self.unchanged)
        )
    }
}

/// Two sets, indexed and paired.
#[derive(Debug)]
pub struct Diff {
    pub old: Side,
    pub new: Side,
    pub matched: Matched,
}

impl Diff {
    /// Indexes both sets (side by side) and pairs their rows.
    pub fn of(old: &std::path::Path, new: &std::path::Path) -> Result<Diff, DiffError> {
        let (old, new) = std::thread::scope(|s| {
            let o = s.spawn(|| Side::index(old));
            let n = Side::index(new);
            let o = o
                .join()
                .unwrap_or_else(|_| Err(DiffError::Read("reading OLD failed".into())));
            (o, n)
        });
        let (old, new) = (old?, new?);
        let matched = matching::match_rows(&old.entries, &new.entries);
        Ok(Diff { old, new, matched })
    }

    pub fn summary(&self) -> Summary {
        Summary::of(&self.matched)
    }

    /// Writes the new and changed rows (NEW's, in NEW's order), then the lost ones (OLD's,
    /// in OLD's order), each with `change` and `changed_fields`; the rest of each row as it
    /// was. Returns the rows written.
    pub fn write(&self, out: &mut SetWriter) -> Result<u64, DiffError> {
        // OLD's compared values of the changed links, to name what changed.
        let mut old_of: HashMap<u32, u32> = HashMap::with_capacity(self.matched.changed.len());
        let mut wanted_old: Vec<u32> = Vec::with_capacity(self.matched.changed.len());
        for &(n, o) in &self.matched.changed {
            old_of.insert(n, o);
            wanted_old.push(o);
        }
        wanted_old.sort_unstable();
        let mut before: HashMap<u32, LinkFields<'static>> = HashMap::new();
        self.old.read_rows(&wanted_old, |o, item| {
            before.insert(o, owned(&LinkFields::of(&item)));
            Ok(())
        })?;

        let mut wanted_new: Vec<u32> = self.matched.new.clone();
        wanted_new.extend(self.matched.changed.iter().map(|&(n, _)| n));
        wanted_new.sort_unstable();
        let mut written = 0;
        let mut batch: Vec<Backlink> = Vec::with_capacity(256);
        let flush = |batch: &mut Vec<Backlink>, out: &mut SetWriter| {
            out.write_all(batch.iter())?;
            batch.clear();
            Ok::<_, DiffError>(())
        };
        self.new.read_rows(&wanted_new, |n, mut item| {
            match old_of.get(&n).and_then(|o| before.get(o)) {
                Some(old) => {
                    let names = LinkFields::of(&item).changed_from(old);
                    tag(&mut item, Change::Changed, &names);
                }
                None => tag(&mut item, Change::New, &[]),
            }
            batch.push(item);
            written += 1;
            if batch.len() == batch.capacity() {
                flush(&mut batch, out)?;
            }
            Ok(())
        })?;
        self.old.read_rows(&self.matched.lost, |_, mut item| {
            tag(&mut item, Change::Lost, &[]);
            batch.push(item);
            written += 1;
            if batch.len() == batch.capacity() {
                flush(&mut batch, out)?;
            }
            Ok(())
        })?;
        flush(&mut batch, out)?;
        Ok(written)
    }
}

/// Marks a row with its change.
pub fn tag(item: &mut Backlink, change: Change, fields: &[&str]) {
    item.change = Some(change.as_str().to_owned());
    item.changed_fields = Some(fields.iter().map(|f| (*f).to_owned()).collect());
}

fn owned(f: &LinkFields<'_>) -> LinkFields<'static> {
    use std::borrow::Cow;
    let own = |v: &Option<Cow<'_, str>>| v.as_deref().map(|s| Cow::Owned(s.to_owned()));
    LinkFields {
        url_from: own(&f.url_from),
        url_to: own(&f.url_to),
        item_type: own(&f.item_type),
        anchor: own(&f.anchor),
        dofollow: f.dofollow,
        attributes: f
            .attributes
            .as_ref()
            .map(|a| a.iter().map(|x| Cow::Owned(x.to_string())).collect()),
        is_broken: f.is_broken,
        url_to_status_code: f.url_to_status_code,
        url_to_redirect_target: own(&f.url_to_redirect_target),
        semantic_location: own(&f.semantic_location),
        original: f.original,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_reads_as_the_issue_writes_it() {
        let s = Summary {
            new: 5,
            lost: 10,
            changed: 3,
            unchanged: 46_860,
        };
        assert_eq!(s.to_string(), "5 new, 10 lost, 3 changed, 46,860 unchanged");
        assert_eq!(s.differences(), 18);
    }
}
