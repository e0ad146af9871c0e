//! What a key can be bound to. Every [`Action`] is described once, in the table below: its
//! name (what `config.toml` uses under `[keys.<pane>]`), a word or two for the hint line, and
//! a line for the help overlay and `backlinks config --keys`. The keymap, the help, the hints
//! and `config --keys` all read this one table.

use std::fmt;

macro_rules! actions {
    ($($variant:ident = ($name:literal, $short:literal, $help:literal),)*) => {
        /// What a key can be bound to (see the module's table for what each does).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Action {
            $(#[doc = $help] $variant,)*
        }

        impl Action {
            /// Every action, in the order the help lists them.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The name `config.toml` binds (`page_down`).
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name,)* }
            }

            /// A word or two for the hint line.
            pub fn short(self) -> &'static str {
                match self { $(Action::$variant => $short,)* }
            }

            /// One line for the help overlay and `config --keys`.
            pub fn describe(self) -> &'static str {
                match self { $(Action::$variant => $help,)* }
            }
        }
    };
}

actions! {
    Quit = ("quit", "quit", "quit"),
    Help = ("help", "help", "show this help"),
    Cancel = ("cancel", "back", "close / leave / clear the message"),
    FocusNext = ("focus_next", "next", "next pane or control"),
    FocusPrev = ("focus_prev", "prev", "previous pane or control"),
    EditTarget = ("edit_target", "target", "edit the target"),
    TargetPrev = ("target_prev", "history", "earlier target of this session (target field)"),
    TargetNext = ("target_next", "history", "later target of this session (target field)"),
    RunQuery = ("run_query", "run", "run the query"),
    ControlNext = ("control_next", "change", "next value of the control"),
    ControlPrev = ("control_prev", "change", "previous value of the control"),
    SelectNext = ("select_next", "move", "next row"),
    SelectPrev = ("select_prev", "move", "previous row"),
    PageDown = ("page_down", "page", "one screen down"),
    PageUp = ("page_up", "page", "one screen up"),
    First = ("first", "first", "first row"),
    Last = ("last", "last", "last loaded row (keeps loading)"),
    ColumnLeft = ("column_left", "column", "column to the left"),
    ColumnRight = ("column_right", "column", "column to the right"),
    Retry = ("retry", "retry", "retry the failed page"),
    ToggleDetail = ("toggle_detail", "detail", "open / close the detail of the row"),
    DetailZoom = ("detail_zoom", "side/full", "detail beside the table / full screen"),
    DetailRaw = ("detail_raw", "json", "detail as raw JSON / as fields"),
    DetailScrollDown = ("detail_scroll_down", "scroll", "scroll the detail a line down"),
    DetailScrollUp = ("detail_scroll_up", "scroll", "scroll the detail a line up"),
    DetailPageDown = ("detail_page_down", "scroll", "scroll the detail a page down"),
    DetailPageUp = ("detail_page_up", "scroll", "scroll the detail a page up"),
    CopyMenu = ("copy_menu", "copy", "copy url, anchor, row as JSON/CSV"),
    OpenInBrowser = ("open_in_browser", "open", "open url_from in the browser"),
    Search = ("search", "search", "search the loaded rows"),
    SearchNext = ("search_next", "match", "next match (wraps)"),
    SearchPrev = ("search_prev", "match", "previous match (wraps)"),
    SearchAccept = ("search_accept", "keep", "keep the search, back to the table"),
    ToggleMark = ("toggle_mark", "mark", "mark / unmark the row"),
    MarkRange = ("mark_range", "range", "mark a range (press at both ends)"),
    ClearMarks = ("clear_marks", "unmark", "clear all marks"),
    OpenBuilder = ("open_builder", "filter", "open the filter builder"),
    OpenFilterBar = ("open_filter_bar", "filter text", "type a filter expression"),
    FilterPresets = ("filter_presets", "presets", "filter presets: dofollow, new links…"),
    QuickFilterEq = ("quick_filter_eq", "only this", "keep rows with this cell's value"),
    QuickFilterNe = ("quick_filter_ne", "exclude this", "drop rows with this cell's value"),
    SortColumn = ("sort_column", "sort", "sort by this column: desc, asc, off"),
    SortAddKey = ("sort_add_key", "sort +key", "add this column as the next sort key"),
    BuilderAdd = ("builder_add", "add", "add a condition"),
    BuilderEdit = ("builder_edit", "edit", "edit the condition"),
    BuilderDelete = ("builder_delete", "delete", "delete the condition or group"),
    BuilderMoveUp = ("builder_move_up", "move up", "move up within its group"),
    BuilderMoveDown = ("builder_move_down", "move down", "move down within its group"),
    BuilderMark = ("builder_mark", "mark", "mark / unmark (for grouping)"),
    BuilderWrap = ("builder_wrap", "group", "group the marked (or selected) conditions"),
    BuilderUnwrap = ("builder_unwrap", "ungroup", "ungroup: keep the contents"),
    BuilderToggleLogic = ("builder_toggle_logic", "and/or", "switch the group between and / or"),
    ApplyFilter = ("apply_filter", "apply", "apply: run the query with this filter"),
    OpenColumns = ("open_columns", "columns", "choose and order the columns"),
    ToggleColumn = ("toggle_column", "show/hide", "show or hide this field"),
    MoveColumnUp = ("move_column_up", "reorder", "move the field up (to the left)"),
    MoveColumnDown = ("move_column_down", "reorder", "move the field down (to the right)"),
    ApplyColumns = ("apply_columns", "use", "use these columns (remembered)"),
    ResetColumns = ("reset_columns", "defaults", "back to the default columns"),
    OpenHistory = ("open_history", "history", "query history (type to narrow)"),
    RerunEntry = ("rerun_entry", "run again", "run the query again, as it was sent"),
    OpenViews = ("open_views", "views", "saved views: apply, save, delete"),
    ApplyView = ("apply_view", "apply view", "apply the view to the target"),
    SaveView = ("save_view", "save view", "save the current query as a view"),
    DeleteView = ("delete_view", "delete view", "delete the view (press twice)"),
    OpenStats = ("open_stats", "stats", "statistics of the loaded rows"),
    ChartNext = ("chart_next", "chart", "next chart"),
    ChartPrev = ("chart_prev", "chart", "previous chart"),
    FilterByBar = ("filter_by_bar", "filter by bar", "filter the query by the selected bar"),
    BudgetSend = ("budget_send", "send", "send this request anyway"),
    BudgetRaise = ("budget_raise", "raise budget", "raise the budget and send"),
    Save = ("save", "save", "save rows to a file"),
    Confirm = ("confirm", "ok", "take the choice / answer yes"),
    NextChoice = ("next_choice", "rows", "next choice of what to save"),
    Complete = ("complete", "complete", "complete the field name, or the value from the field's known values"),
    ToggleValue = ("toggle_value", "true/false", "true ⇄ false on a true/false field"),
}

impl Action {
    /// The action named `name` (as in `config.toml`).
    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_parse_back() {
        for &a in Action::ALL {
            assert_eq!(Action::parse(a.name()), Some(a));
            assert!(!a.short().is_empty() && !a.describe().is_empty(), "{a}");
        }
        let mut names: Vec<_> = Action::ALL.iter().map(|a| a.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
        assert_eq!(Action::parse("explode"), None);
    }
}
