//! Quick filters: `=` keeps rows whose current-column value equals the selected row's, `!`
//! drops them. The condition is added (`and`) to the running query's filter.

use crate::api::fields::{Catalog, FieldRef};
use crate::api::filter::{Condition, Filter, Op, Value};
use crate::api::response::Backlink;
use crate::app::App;
use crate::app::msg::Cmd;
use crate::app::requery::Change;

use crate::app::requery::and_condition;

/// The condition `field = value` (or `<>`) for one cell, or why there is none.
pub fn quick_condition(field: &str, item: &Backlink, negate: bool) -> Result<Condition, String> {
    let filterable = Catalog::get()
        .find(field)
        .is_some_and(|s| s.filterable && s.filter_type.is_some());
    if !filterable {
        return Err(format!("{field} cannot be used in filters"));
    }
    let value = match item.field(field) {
        FieldRef::Null => {
            return Err(format!(
                "{field} is empty (null) on this row: nothing to filter on"
            ));
        }
        FieldRef::Bool(b) => Value::Bool(b),
        FieldRef::Int(i) => Value::Int(i),
        FieldRef::Str(s) => Value::Str(s.to_owned()),
        FieldRef::Strs(_) | FieldRef::Nested => {
            return Err(format!(
                "{field} holds several values: pick one in the filter builder (f)"
            ));
        }
    };
    Ok(Condition {
        field: field.to_owned(),
        op: if negate { Op::Ne } else { Op::Eq },
        value,
    })
}

impl App {
    /// `=` / `!` on the selected cell.
    pub(crate) fn quick_filter(&mut self, negate: bool) -> Vec<Cmd> {
        match self.quick_filter_change(negate) {
            Ok(change) => self.apply_change(&change),
            Err(e) => {
                self.status.warning = Some(e);
                Vec::new()
            }
        }
    }

    fn quick_filter_change(&self, negate: bool) -> Result<Change, String> {
        let Some(query) = &self.results.query else {
            return Err("run a query first".into());
        };
        let Some(field) = self.current_column().and_then(|c| c.field) else {
            return Err("the marker column cannot be filtered: move to a field with h / l".into());
        };
        let Some(item) = self.results.selected_item() else {
            return Err("no row selected".into());
        };
        let cond = quick_condition(field, &item, negate)?;
        let filter = and_condition(query.filters.clone(), Filter::Cond(cond))?;
        Ok(Change {
            filter: Some(Some(filter)),
            ..Change::default()
        })
    }
}
