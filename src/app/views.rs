//! Saved views in the app (`v`): a list to apply one to the target in the query pane, save the
//! current query as a view under a name, or delete one.

use crossterm::event::KeyEvent;
use tui_input::Input;

use crate::api::request::LiveRequest;
use crate::keymap::{Key, Pane};
use crate::views::{View, check_name};

use super::msg::Cmd;

use super::overlay::Overlay;
use super::stack::Layer;
use super::{App, text_request};
use crate::action::Action;
use crate::persist::Persist;

/// The views known to the app, by name.
#[derive(Debug, Clone, Default)]
pub struct ViewsState {
    pub list: Vec<View>,
}

impl ViewsState {
    /// Adds `view`, replacing one of the same name.
    pub fn put(&mut self, view: View) {
        self.list.retain(|v| v.name != view.name);
        self.list.push(view);
        self.list.sort_by(|a, b| a.name.cmp(&b.name));
    }
}

/// The `v` list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewsList {
    pub selected: usize,
    /// `d` was pressed once: the next `d` deletes.
    pub confirm_delete: bool,
}

/// The name asked for before saving a view.
#[derive(Debug, Clone, Default)]
pub struct NamePrompt {
    pub input: Input,
    pub error: Option<String>,
}

impl App {
    pub(super) fn open_views(&mut self) {
        self.layers
            .open(Layer::Window(Overlay::Views(ViewsList::default())));
    }

    /// The current query as a view called `name`: the running query, else the query pane.
    pub fn current_view(&self, name: &str) -> View {
        let (request, page_size) = match &self.results.query {
            Some(r) => (r.clone(), self.results.page_size),
            None => (self.pane_request(), self.query.page_size),
        };
        let columns = self.columns.iter().filter_map(|c| c.field).collect();
        View::from_request(name, &request, page_size, columns)
    }

    /// The query pane's settings, whatever the target field holds.
    fn pane_request(&self) -> LiveRequest {
        let mut q = self.query.clone();
        q.target = Input::new("example.com".into());
        q.build_request()
            .unwrap_or_else(|_| LiveRequest::new("example.com"))
    }

    /// Sets the view's parts in the query pane and runs it for the target there.
    pub fn apply_view(&mut self, view: &View) -> Vec<Cmd> {
        let target = self.query.target.value().to_owned();
        let mut request = self.pane_request();
        request.limit = Some(self.query.page_size);
        view.apply(&mut request);
        self.query.load_request(&request);
        self.query.target = Input::new(target);
        if let Some(fields) = &view.columns {
            self.set_columns(fields);
        }
        self.status.note = Some(format!("view '{}'", view.name));
        if self.query.target.value().trim().is_empty() {
            self.focus = super::Focus::Target;
            self.query.error = Some(format!(
                "view '{}' is set: type a target and press Enter",
                view.name
            ));
            return Vec::new();
        }
        self.run_query()
    }

    pub(super) fn views_key(&mut self, key: Key) -> Vec<Cmd> {
        let Some(Overlay::Views(list)) = self.layers.window_mut() else {
            return Vec::new();
        };
        let last = self.views.list.len().saturating_sub(1);
        let action = self.keymap.lookup(Pane::Views, key);
        if action != Some(Action::DeleteView) {
            list.confirm_delete = false;
        }
        match action {
            Some(Action::SelectNext) => list.selected = (list.selected + 1).min(last),
            Some(Action::SelectPrev) => list.selected = list.selected.saturating_sub(1),
            Some(Action::First) => list.selected = 0,
            Some(Action::Last) => list.selected = last,
            Some(Action::ApplyView) => {
                if let Some(view) = self.views.list.get(list.selected).cloned() {
                    self.close_window();
                    return self.apply_view(&view);
                }
            }
            Some(Action::SaveView) => {
                self.layers
                    .open(Layer::Window(Overlay::ViewName(NamePrompt::default())));
            }
            Some(Action::DeleteView) => {
                let Some(view) = self.views.list.get(list.selected) else {
                    return Vec::new();
                };
                if !list.confirm_delete {
                    list.confirm_delete = true;
                    self.status.note = Some(format!("press d again to delete '{}'", view.name));
                    return Vec::new();
                }
                let name = view.name.clone();
                self.views.list.retain(|v| v.name != name);
                list.confirm_delete = false;
                list.selected = list.selected.min(self.views.list.len().saturating_sub(1));
                return match self.paths.views_dir() {
                    Some(dir) => vec![Cmd::Persist(Box::new(Persist::DeleteView { dir, name }))],
                    None => Vec::new(),
                };
            }
            Some(Action::Cancel) => self.close_window(),
            Some(Action::Quit) => return self.act(Action::Quit),
            _ => {}
        }
        Vec::new()
    }

    /// Typing the name; confirm (enter) saves, cancel (esc) goes back to the list. Keys from
    /// the `view_name` pane; typed characters are the name.
    pub(super) fn name_prompt_key(&mut self, ev: &KeyEvent, key: Key) -> Vec<Cmd> {
        let action = if key.is_text() {
            None
        } else {
            self.keymap.lookup(Pane::ViewName, key)
        };
        let Some(Overlay::ViewName(prompt)) = self.layers.window_mut() else {
            return Vec::new();
        };
        match action {
            Some(Action::Cancel) => self.open_views(),
            Some(Action::Confirm) => {
                let name = prompt.input.value().trim().to_owned();
                if let Err(e) = check_name(&name) {
                    prompt.error = Some(e.to_string());
                    return Vec::new();
                }
                let replaced = self.views.list.iter().any(|v| v.name == name);
                let view = self.current_view(&name);
                self.views.put(view.clone());
                let selected = self
                    .views
                    .list
                    .iter()
                    .position(|v| v.name == name)
                    .unwrap_or(0);
                self.layers.open(Layer::Window(Overlay::Views(ViewsList {
                    selected,
                    confirm_delete: false,
                })));
                self.status.note = Some(format!(
                    "view '{name}' {}",
                    if replaced { "replaced" } else { "saved" }
                ));
                return match self.paths.views_dir() {
                    Some(dir) => vec![Cmd::Persist(Box::new(Persist::SaveView { dir, view }))],
                    None => Vec::new(),
                };
            }
            _ => {
                if let Some(req) = text_request(ev)
                    && prompt.input.handle(req).is_some_and(|c| c.value)
                {
                    prompt.error = None;
                }
            }
        }
        Vec::new()
    }
}
