//! The TOML form of a view: written with comments for the person who opens it, read back with
//! every mistake placed at its line and column.

use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::api::fields::column_field;
use crate::api::request::{MAX_LIMIT, MAX_ORDER_BY};
use crate::cli::{parse_custom_mode, parse_filter, parse_order_by};

use super::{View, ViewError};

/// `"text"` as a TOML string (quotes and escapes).
fn quote(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.map(|s| quote(&s)).collect();
    format!("[{}]", items.join(", "))
}

pub(super) fn write(view: &View) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# backlinks view \"{}\": a query without a target. Apply it with v in the explorer, or\n\
         #   backlinks export TARGET --view {} --output FILE\n\
         # Leave a line out to keep what the query already has.\n",
        view.name, view.name
    );
    let mut line = |key: &str, value: String, note: &str| {
        let _ = writeln!(s, "{:<34} # {note}", format!("{key} = {value}"));
    };
    if let Some(m) = view.mode {
        line(
            "mode",
            quote(m.as_str()),
            "as_is, one_per_domain, one_per_anchor",
        );
    }
    if let Some(c) = &view.custom_mode {
        let text = c
            .as_ref()
            .map_or_else(|| "off".to_owned(), |c| format!("{}:{}", c.field, c.value));
        line(
            "custom_mode",
            quote(&text),
            "FIELD:N (\"domain_from:3\") or \"off\"",
        );
    }
    if let Some(st) = view.status {
        line("status", quote(st.as_str()), "live, lost, all");
    }
    if let Some(b) = view.include_subdomains {
        line(
            "subdomains",
            b.to_string(),
            "links to the target's subdomains",
        );
    }
    if let Some(b) = view.include_indirect {
        line(
            "indirect",
            b.to_string(),
            "links through redirects and canonicals",
        );
    }
    if let Some(b) = view.include_internal {
        line(
            "internal",
            b.to_string(),
            "links from the target's own subdomains",
        );
    }
    if let Some(n) = view.page_size {
        line("page_size", n.to_string(), "rows per request, 1-1000");
    }
    if let Some(f) = &view.filter {
        let text = f.as_ref().map(ToString::to_string).unwrap_or_default();
        line("filter", quote(&text), "the --filter syntax; \"\" for none");
    }
    if let Some(o) = &view.order_by {
        line(
            "order_by",
            list(o.iter().map(ToString::to_string)),
            "up to 3 FIELD,asc|desc; [] for the API's order",
        );
    }
    if let Some(c) = &view.columns {
        line(
            "columns",
            list(c.iter().map(|f| (*f).to_owned())),
            "table columns, in order",
        );
    }
    s
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    mode: Option<Spanned<String>>,
    custom_mode: Option<Spanned<String>>,
    status: Option<Spanned<String>>,
    subdomains: Option<bool>,
    indirect: Option<bool>,
    internal: Option<bool>,
    page_size: Option<Spanned<u32>>,
    filter: Option<Spanned<String>>,
    order_by: Option<Spanned<Vec<Spanned<String>>>>,
    columns: Option<Vec<Spanned<String>>>,
}

pub(super) fn read(name: &str, path: &Path, text: &str) -> Result<View, ViewError> {
    let at = |offset: usize, message: String| {
        let (line, column) = crate::config::line_col(text, offset);
        ViewError::Invalid {
            path: path.to_owned(),
            line,
            column,
            message,
        }
    };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        at(
            e.span().map_or(0, |s| s.start),
            e.message().trim().to_owned(),
        )
    })?;
    let keyed =
        |key: &str, v: &Spanned<String>, e: String| at(v.span().start, format!("`{key}`: {e}"));
    let mut view = View {
        name: name.to_owned(),
        include_subdomains: raw.subdomains,
        include_indirect: raw.indirect,
        include_internal: raw.internal,
        ..View::default()
    };
    if let Some(m) = &raw.mode {
        view.mode = Some(m.get_ref().parse().map_err(|e| keyed("mode", m, e))?);
    }
    if let Some(c) = &raw.custom_mode {
        view.custom_mode = Some(match c.get_ref().as_str() {
            "off" | "" => None,
            s => Some(parse_custom_mode(s).map_err(|e| keyed("custom_mode", c, e))?),
        });
    }
    if let Some(st) = &raw.status {
        view.status = Some(st.get_ref().parse().map_err(|e| keyed("status", st, e))?);
    }
    if let Some(n) = &raw.page_size {
        if !(1..=MAX_LIMIT).contains(n.get_ref()) {
            return Err(at(
                n.span().start,
                format!("`page_size` must be 1 to {MAX_LIMIT}"),
            ));
        }
        view.page_size = Some(*n.get_ref());
    }
    if let Some(f) = &raw.filter {
        view.filter = Some(match f.get_ref().trim() {
            "" => None,
            s => Some(parse_filter(s).map_err(|e| keyed("filter", f, e))?),
        });
    }
    if let Some(o) = &raw.order_by {
        if o.get_ref().len() > MAX_ORDER_BY {
            return Err(at(
                o.span().start,
                format!("`order_by` has more than {MAX_ORDER_BY} keys"),
            ));
        }
        let mut keys = Vec::new();
        for k in o.get_ref() {
            keys.push(parse_order_by(k.get_ref()).map_err(|e| keyed("order_by", k, e))?);
        }
        view.order_by = Some(keys);
    }
    if let Some(cols) = &raw.columns {
        let mut fields = Vec::new();
        for c in cols {
            let field = column_field(c.get_ref())
                .ok_or_else(|| keyed("columns", c, format!("'{}' is not a field", c.get_ref())))?;
            if !fields.contains(&field) {
                fields.push(field);
            }
        }
        view.columns = Some(fields);
    }
    Ok(view)
}
