//! The query pane: target field with this session's history, and the query controls.

use tui_input::{Input, InputRequest};

use crate::api::filter::Filter;
use crate::api::request::{
    CUSTOM_MODE_FIELDS, CustomMode, LiveRequest, MAX_LIMIT, Mode, OrderBy, StatusType,
};
use crate::api::target::normalize_target;

mod custom;

pub use custom::MAX_CUSTOM_N;

/// Page sizes offered by the control (1000 is the cheapest per row).
pub const PAGE_SIZES: &[u32] = &[100, 250, 500, MAX_LIMIT];
/// Values offered for custom mode's N.
pub const CUSTOM_NS: &[u32] = &[1, 2, 3, 5, 10, 25, 50, 100, 250, 500, 1000];

/// The controls of the query pane, in focus order after the target field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Control {
    Mode,
    CustomField,
    CustomN,
    Status,
    Subdomains,
    Indirect,
    Internal,
    PageSize,
}

impl Control {
    pub const ALL: &'static [Control] = &[
        Control::Mode,
        Control::CustomField,
        Control::CustomN,
        Control::Status,
        Control::Subdomains,
        Control::Indirect,
        Control::Internal,
        Control::PageSize,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Control::Mode => "mode",
            Control::CustomField => "group by",
            Control::CustomN => "per group",
            Control::Status => "status",
            Control::Subdomains => "subdomains",
            Control::Indirect => "indirect",
            Control::Internal => "internal",
            Control::PageSize => "page",
        }
    }

    /// The label on a narrow screen (none where the value says it: `as_is`, `live`).
    pub fn short_label(self) -> &'static str {
        match self {
            Control::Mode | Control::Status => "",
            Control::CustomField => "group",
            Control::CustomN => "per",
            Control::Subdomains => "subdom",
            Control::Indirect => "indir",
            Control::Internal => "int",
            Control::PageSize => "page",
        }
    }
}

/// State of the query pane.
#[derive(Debug, Clone)]
pub struct QueryState {
    pub target: Input,
    /// Targets run in this session, oldest first, without repeats in a row.
    pub history: Vec<String>,
    /// Position while walking the history with Up/Down; `None` when editing fresh text.
    history_pos: Option<usize>,
    /// What the field held before the walk began, restored when walking past the newest entry.
    draft: String,
    pub mode: Mode,
    /// Custom mode: index into `CUSTOM_MODE_FIELDS` (None = off) and N.
    pub custom_field: Option<usize>,
    pub custom_n: u32,
    /// Digits typed on the N control so far (the next digit appends); `None` = not typing.
    pub custom_n_text: Option<String>,
    pub status: StatusType,
    pub include_subdomains: bool,
    pub include_indirect: bool,
    pub exclude_internal: bool,
    pub page_size: u32,
    pub filter: Option<Filter>,
    pub order_by: Vec<OrderBy>,
    /// Why the target was refused, shown under the field.
    pub error: Option<String>,
}

impl Default for QueryState {
    fn default() -> Self {
        Self {
            target: Input::default(),
            history: Vec::new(),
            history_pos: None,
            draft: String::new(),
            mode: Mode::AsIs,
            custom_field: None,
            custom_n: 1,
            custom_n_text: None,
            status: StatusType::Live,
            include_subdomains: true,
            include_indirect: true,
            exclude_internal: true,
            page_size: MAX_LIMIT,
            filter: None,
            order_by: Vec::new(),
            error: None,
        }
    }
}

impl QueryState {
    /// Sets every control from `r`, keeping the session's earlier targets.
    pub fn load_request(&mut self, r: &LiveRequest) {
        let targets = std::mem::take(&mut self.history);
        *self = QueryState::from_request(r);
        self.history = targets;
    }

    /// Presets every control from a request (the CLI flags).
    pub fn from_request(r: &LiveRequest) -> Self {
        let mut q = Self {
            target: Input::new(r.target.clone()),
            ..Self::default()
        };
        q.mode = r.mode.unwrap_or_default();
        if let Some(cm) = &r.custom_mode {
            q.custom_field = CUSTOM_MODE_FIELDS.iter().position(|f| *f == cm.field);
            q.custom_n = cm.value;
        }
        q.status = r.backlinks_status_type.unwrap_or_default();
        q.include_subdomains = r.include_subdomains.unwrap_or(true);
        q.include_indirect = r.include_indirect_links.unwrap_or(true);
        q.exclude_internal = r.exclude_internal_backlinks.unwrap_or(true);
        q.page_size = r.limit.unwrap_or(MAX_LIMIT);
        q.filter.clone_from(&r.filters);
        q.order_by = r.order_by.clone().unwrap_or_default();
        q
    }

    /// The request the pane describes, without paging fields; the reason when the target is
    /// not something the API accepts.
    pub fn build_request(&self) -> Result<LiveRequest, String> {
        let target = normalize_target(self.target.value())?;
        let mut r = LiveRequest::new(target);
        r.mode = (self.mode != Mode::AsIs).then_some(self.mode);
        r.custom_mode = self.custom_field.map(|i| CustomMode {
            field: CUSTOM_MODE_FIELDS[i].to_owned(),
            value: self.custom_n,
        });
        r.backlinks_status_type = (self.status != StatusType::Live).then_some(self.status);
        r.include_subdomains = (!self.include_subdomains).then_some(false);
        r.include_indirect_links = (!self.include_indirect).then_some(false);
        r.exclude_internal_backlinks = (!self.exclude_internal).then_some(false);
        r.filters.clone_from(&self.filter);
        r.order_by = (!self.order_by.is_empty()).then(|| self.order_by.clone());
        Ok(r)
    }

    /// Remembers a target that was run.
    pub fn remember(&mut self, target: &str) {
        if self.history.last().map(String::as_str) != Some(target) {
            self.history.push(target.to_owned());
        }
        self.history_pos = None;
    }

    /// Up in the target field: the previous entry of the history.
    pub fn history_prev(&mut self) {
        if self.history.is_empty() {
            return;
        }
        let pos = match self.history_pos {
            None => {
                self.draft = self.target.value().to_owned();
                self.history.len() - 1
            }
            Some(p) => p.saturating_sub(1),
        };
        self.history_pos = Some(pos);
        self.target = Input::new(self.history[pos].clone());
    }

    /// Down in the target field: the next entry, then back to the draft.
    pub fn history_next(&mut self) {
        let Some(p) = self.history_pos else { return };
        if p + 1 < self.history.len() {
            self.history_pos = Some(p + 1);
            self.target = Input::new(self.history[p + 1].clone());
        } else {
            self.history_pos = None;
            self.target = Input::new(std::mem::take(&mut self.draft));
        }
    }

    /// Edits the target field.
    pub fn edit_target(&mut self, req: InputRequest) {
        if self.target.handle(req).is_some_and(|c| c.value) {
            self.error = None;
            self.history_pos = None;
        }
    }

    /// Steps a control forward (`forward`) or back through its values.
    pub fn step(&mut self, control: Control, forward: bool) {
        match control {
            Control::Mode => self.mode = cycle(Mode::ALL, self.mode, forward),
            Control::Status => self.status = cycle(StatusType::ALL, self.status, forward),
            Control::Subdomains => self.include_subdomains = !self.include_subdomains,
            Control::Indirect => self.include_indirect = !self.include_indirect,
            Control::Internal => self.exclude_internal = !self.exclude_internal,
            Control::PageSize => self.page_size = cycle(PAGE_SIZES, self.page_size, forward),
            Control::CustomN => self.custom_n = cycle(CUSTOM_NS, self.custom_n, forward),
            Control::CustomField => {
                let n = CUSTOM_MODE_FIELDS.len();
                self.custom_field = match (self.custom_field, forward) {
                    (None, true) => Some(0),
                    (None, false) => Some(n - 1),
                    (Some(i), true) if i + 1 < n => Some(i + 1),
                    (Some(i), false) if i > 0 => Some(i - 1),
                    (Some(_), _) => None,
                };
            }
        }
    }

    /// The value of a control as shown on screen.
    pub fn control_value(&self, control: Control) -> String {
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
        match control {
            Control::Mode => self.mode.to_string(),
            Control::CustomField => self
                .custom_field
                .map_or_else(|| "off".to_owned(), |i| CUSTOM_MODE_FIELDS[i].to_owned()),
            Control::CustomN => self.custom_n.to_string(),
            Control::Status => self.status.to_string(),
            Control::Subdomains => yes_no(self.include_subdomains),
            Control::Indirect => yes_no(self.include_indirect),
            Control::Internal => if self.exclude_internal {
                "excluded"
            } else {
                "included"
            }
            .into(),
            Control::PageSize => self.page_size.to_string(),
        }
    }
}

/// Next or previous value in `all` (wrapping); a value not in the list goes to the first.
fn cycle<T: Copy + PartialEq>(all: &[T], current: T, forward: bool) -> T {
    let i = all.iter().position(|v| *v == current);
    let n = all.len();
    match (i, forward) {
        (Some(i), true) => all[(i + 1) % n],
        (Some(i), false) => all[(i + n - 1) % n],
        (None, _) => all[0],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_walks_back_and_restores_the_draft() {
        let mut q = QueryState::default();
        q.remember("a.com");
        q.remember("b.com");
        q.remember("b.com");
        assert_eq!(q.history, ["a.com", "b.com"]);
        q.target = Input::new("draft".into());
        q.history_prev();
        assert_eq!(q.target.value(), "b.com");
        q.history_prev();
        q.history_prev();
        assert_eq!(q.target.value(), "a.com");
        q.history_next();
        assert_eq!(q.target.value(), "b.com");
        q.history_next();
        assert_eq!(q.target.value(), "draft");
    }

    #[test]
    fn controls_cycle_and_build_the_request() {
        let mut q = QueryState {
            target: Input::new("forbes.com".into()),
            ..QueryState::default()
        };
        q.step(Control::Mode, true);
        q.step(Control::Status, false);
        q.step(Control::Subdomains, true);
        q.step(Control::CustomField, true);
        q.step(Control::CustomN, true);
        q.step(Control::PageSize, true);
        let r = q.build_request().unwrap();
        assert_eq!(r.mode, Some(Mode::OnePerDomain));
        assert_eq!(r.backlinks_status_type, Some(StatusType::All));
        assert_eq!(r.include_subdomains, Some(false));
        assert_eq!(
            r.custom_mode,
            Some(CustomMode {
                field: "anchor".into(),
                value: 2
            })
        );
        assert_eq!(q.page_size, 100, "page size wraps from 1000 to 100");
        q.step(Control::CustomField, false);
        assert_eq!(q.build_request().unwrap().custom_mode, None);
    }

    #[test]
    fn request_round_trips_through_the_controls() {
        let mut r = LiveRequest::new("x.com");
        r.mode = Some(Mode::OnePerAnchor);
        r.backlinks_status_type = Some(StatusType::Lost);
        r.include_indirect_links = Some(false);
        r.custom_mode = Some(CustomMode {
            field: "tld_from".into(),
            value: 5,
        });
        let q = QueryState::from_request(&r);
        assert_eq!(q.build_request().unwrap(), r);
    }
}
