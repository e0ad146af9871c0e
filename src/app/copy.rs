//! `y`: the copy menu and what each entry puts on the clipboard. The text leaves as
//! `Cmd::Copy`; the runtime sends it to the terminal (OSC 52).

use crate::api::response::Backlink;
use crate::clipboard::{MAX_COPY_BYTES, cap};
use crate::store::csv::item_text;
use crate::text::sanitize;

use crate::action::Action;
use crate::keymap::{Key, Pane};

use super::App;
use super::msg::Cmd;
use super::stack::{Layer, LayerKind};

/// What can be copied from a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyChoice {
    UrlFrom,
    UrlTo,
    Anchor,
    DomainFrom,
    Json,
    Csv,
}

impl CopyChoice {
    /// Menu order; the menu's digit keys follow it.
    pub const ALL: &'static [CopyChoice] = &[
        CopyChoice::UrlFrom,
        CopyChoice::UrlTo,
        CopyChoice::Anchor,
        CopyChoice::DomainFrom,
        CopyChoice::Json,
        CopyChoice::Csv,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CopyChoice::UrlFrom => "url_from",
            CopyChoice::UrlTo => "url_to",
            CopyChoice::Anchor => "anchor",
            CopyChoice::DomainFrom => "domain_from",
            CopyChoice::Json => "row as JSON",
            CopyChoice::Csv => "row as CSV",
        }
    }

    /// The text to copy, if the row has it. Single values are sanitised (they get pasted
    /// into shells and address bars); JSON escapes controls itself; CSV keeps the data as is,
    /// a header line and the row exactly as a saved CSV file has them.
    pub fn payload(self, item: &Backlink) -> Option<String> {
        let one = |v: &Option<String>| v.as_deref().map(|s| sanitize(s).into_owned());
        match self {
            CopyChoice::UrlFrom => one(&item.url_from),
            CopyChoice::UrlTo => one(&item.url_to),
            // An image link's anchor is its alt text.
            CopyChoice::Anchor => one(&item.anchor)
                .filter(|a| !a.is_empty())
                .or_else(|| one(&item.alt)),
            CopyChoice::DomainFrom => one(&item.domain_from),
            CopyChoice::Json => serde_json::to_string_pretty(item).ok(),
            CopyChoice::Csv => Some(item_text(item, b',', true)),
        }
    }
}

/// The copy menu while it is open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CopyMenu {
    /// Index into `CopyChoice::ALL`.
    pub selected: usize,
}

impl App {
    /// `y`: opens the menu over a row.
    pub(super) fn open_copy_menu(&mut self) {
        if self.results.selected_item().is_some() {
            self.layers.open(Layer::Copy(CopyMenu::default()));
        } else {
            self.status.note = Some("no row to copy from".into());
        }
    }

    /// Keys while the menu is open, from the copy pane of the keymap (falling back to the
    /// global keys: esc closes, q quits); a digit takes that line at once.
    pub(super) fn copy_menu_key(&mut self, key: Key) -> Vec<Cmd> {
        let n = CopyChoice::ALL.len();
        if let Some(d) = key.digit().filter(|d| *d > 0) {
            return match CopyChoice::ALL.get(usize::from(d - 1)) {
                Some(choice) => self.copy(*choice),
                None => Vec::new(),
            };
        }
        let action = self.keymap.lookup(Pane::Copy, key);
        let Some(menu) = self.layers.copy_menu_mut() else {
            return Vec::new();
        };
        match action {
            Some(Action::SelectNext) => menu.selected = (menu.selected + 1) % n,
            Some(Action::SelectPrev) => menu.selected = (menu.selected + n - 1) % n,
            Some(Action::Confirm) => {
                let choice = CopyChoice::ALL[menu.selected];
                return self.copy(choice);
            }
            Some(Action::Cancel | Action::CopyMenu) => {
                self.layers.close(LayerKind::Copy);
            }
            Some(Action::Quit) => return self.act(Action::Quit),
            Some(Action::Help) => self.open_help(),
            _ => {}
        }
        Vec::new()
    }

    /// Copies `choice` of the selected row; the note says what went to the clipboard.
    pub fn copy(&mut self, choice: CopyChoice) -> Vec<Cmd> {
        self.layers.close(LayerKind::Copy);
        let Some(item) = self.results.selected_item() else {
            return Vec::new();
        };
        let Some(text) = choice.payload(&item) else {
            self.status.note = Some(format!("nothing to copy: {} is empty", choice.label()));
            return Vec::new();
        };
        let (sent, cut) = cap(&text, MAX_COPY_BYTES);
        self.status.note = Some(if cut {
            format!(
                "copied {} cut to {} of {} bytes (terminal clipboard limit)",
                choice.label(),
                sent.len(),
                text.len()
            )
        } else {
            format!("copied {} ({} chars)", choice.label(), text.chars().count())
        });
        vec![Cmd::Copy(sent.into_owned())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_a_header_and_every_field_in_catalogue_order() {
        let item = Backlink {
            kind: Some("backlink".into()),
            url_from: Some("https://a.com/x,y".into()),
            dofollow: Some(true),
            rank: Some(12),
            attributes: Some(vec!["nofollow".into(), "ugc".into()]),
            ..Backlink::default()
        };
        let csv = CopyChoice::Csv.payload(&item).unwrap();
        let lines: Vec<&str> = csv.split('\n').collect();
        assert_eq!(lines.len(), 3, "header, row, and the final line end");
        assert!(lines[0].starts_with("type,domain_from,url_from,url_from_https,"));
        let top = crate::api::fields::Catalog::get().top_level().count();
        assert_eq!(lines[0].split(',').count(), top);
        assert!(lines[1].starts_with("backlink,,\"https://a.com/x,y\",,"));
        assert!(lines[1].contains(",12,"));
        assert!(lines[1].contains(",true,"));
        assert!(
            lines[1].contains("\"[\"\"nofollow\"\",\"\"ugc\"\"]\""),
            "{}",
            lines[1]
        );
    }

    /// Copy-as-CSV and a saved CSV file write the same cells: a null empty, an empty text
    /// `""`, text with a comma, quote or line break quoted, a list as quoted JSON.
    #[test]
    fn csv_copy_is_the_saved_file() {
        let item = Backlink {
            kind: Some("backlink".into()),
            tld_from: Some(String::new()),
            anchor: Some("say \"hi\", then\nleave".into()),
            alt: Some(String::new()),
            attributes: Some(vec!["nofollow".into(), "a,b".into()]),
            rank: Some(7),
            ..Backlink::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("one.csv");
        let meta = crate::store::SetMeta::default();
        crate::store::write_set(&path, crate::store::Format::Csv, &meta, [&item]).unwrap();
        let file = std::fs::read_to_string(&path).unwrap();
        let copied = CopyChoice::Csv.payload(&item).unwrap();
        assert_eq!(copied, file);
        for cell in [
            ",\"\",",
            "\"say \"\"hi\"\", then\nleave\"",
            "\"[\"\"nofollow\"\",\"\"a,b\"\"]\"",
            "backlink,,",
        ] {
            assert!(copied.contains(cell), "{cell} in {copied}");
        }
    }

    #[test]
    fn image_links_copy_their_alt_as_the_anchor() {
        let item = Backlink {
            alt: Some("Forbes".into()),
            ..Backlink::default()
        };
        assert_eq!(CopyChoice::Anchor.payload(&item).as_deref(), Some("Forbes"));
        assert_eq!(CopyChoice::UrlTo.payload(&item), None);
    }

    #[test]
    fn single_values_lose_control_characters() {
        let item = Backlink {
            url_from: Some("https://x.com/\u{1b}[2J\nrm -rf".into()),
            ..Backlink::default()
        };
        let p = CopyChoice::UrlFrom.payload(&item).unwrap();
        assert!(!p.chars().any(char::is_control), "{p:?}");
    }
}
