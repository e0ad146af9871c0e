//! Custom mode in the query pane: N typed as digits (1–1000, the API's range; a digit that
//! would leave the range is refused, so the value shown is always one the API takes), and the
//! field picked by its first letter (again to cycle among fields sharing it) or with ←/→.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::api::request::{CUSTOM_MODE_FIELDS, MAX_CUSTOM_MODE_VALUE};
use crate::app::App;
use crate::keymap::{Key, Pane};

use super::{Control, QueryState};

/// Largest N of `custom_mode` (the API's documented 1–1000).
pub const MAX_CUSTOM_N: u32 = MAX_CUSTOM_MODE_VALUE;

impl QueryState {
    /// A digit typed on the N control. The first digit starts a new number.
    pub fn type_custom_n(&mut self, digit: char) -> Result<(), String> {
        let mut text = self.custom_n_text.clone().unwrap_or_default();
        text.push(digit);
        match text.parse::<u32>() {
            Ok(n) if (1..=MAX_CUSTOM_N).contains(&n) => {
                self.custom_n = n;
                self.custom_n_text = Some(text);
                Ok(())
            }
            _ => Err(format!(
                "per group: N is a whole number from 1 to {MAX_CUSTOM_N} (the API's range)"
            )),
        }
    }

    /// Backspace on the N control: removes the last digit typed (never below one digit).
    pub fn backspace_custom_n(&mut self) {
        let mut text = self
            .custom_n_text
            .take()
            .unwrap_or_else(|| self.custom_n.to_string());
        text.pop();
        if let Ok(n) = text.parse::<u32>()
            && (1..=MAX_CUSTOM_N).contains(&n)
        {
            self.custom_n = n;
            self.custom_n_text = Some(text);
        }
    }

    /// A letter typed on the field control: the next groupable field starting with it.
    pub fn pick_custom_field(&mut self, letter: char) -> bool {
        let n = CUSTOM_MODE_FIELDS.len();
        let start = self.custom_field.map_or(0, |i| i + 1);
        let found = (0..n)
            .map(|k| (start + k) % n)
            .find(|&i| CUSTOM_MODE_FIELDS[i].starts_with(letter));
        if found.is_some() {
            self.custom_field = found;
        }
        found.is_some()
    }
}

impl App {
    /// Keys a query control handles itself (digits on N, letters on the field); false when the
    /// key is for the keymap.
    pub(crate) fn control_key(&mut self, control: Control, ev: &KeyEvent, key: Key) -> bool {
        let plain = !ev
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        // Text editing of the two fields (digits of N, a letter picking the field), not bindings.
        match (control, ev.code) {
            (Control::CustomN, KeyCode::Char(d)) if plain && d.is_ascii_digit() => {
                if let Err(e) = self.query.type_custom_n(d) {
                    self.status.warning = Some(e);
                }
                true
            }
            (Control::CustomN, KeyCode::Backspace) => {
                self.query.backspace_custom_n();
                true
            }
            (Control::CustomField, KeyCode::Char(c))
                if plain
                    && c.is_ascii_lowercase()
                    && self.keymap.lookup(Pane::Query, key).is_none() =>
            {
                // Only letters the pane itself does not bind (h and l step the control).
                self.query.pick_custom_field(c)
            }
            (Control::CustomField, KeyCode::Backspace | KeyCode::Delete) => {
                self.query.custom_field = None;
                true
            }
            _ => {
                self.query.custom_n_text = None;
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_takes_digits_within_the_api_range() {
        let mut q = QueryState::default();
        q.type_custom_n('2').unwrap();
        q.type_custom_n('5').unwrap();
        assert_eq!(q.custom_n, 25);
        q.type_custom_n('0').unwrap();
        assert_eq!(q.custom_n, 250);
        assert!(q.type_custom_n('0').is_err(), "2500 is over 1000");
        assert_eq!(q.custom_n, 250);
        q.backspace_custom_n();
        assert_eq!(q.custom_n, 25);
        q.custom_n_text = None;
        assert!(q.type_custom_n('0').is_err(), "0 is below 1");
        q.type_custom_n('1').unwrap();
        q.type_custom_n('0').unwrap();
        q.type_custom_n('0').unwrap();
        q.type_custom_n('0').unwrap();
        assert_eq!(q.custom_n, 1000);
    }

    #[test]
    fn first_letters_cycle_the_fields() {
        let mut q = QueryState::default();
        assert!(q.pick_custom_field('d'));
        assert_eq!(CUSTOM_MODE_FIELDS[q.custom_field.unwrap()], "domain_from");
        q.pick_custom_field('d');
        assert_eq!(
            CUSTOM_MODE_FIELDS[q.custom_field.unwrap()],
            "domain_from_country"
        );
        q.pick_custom_field('d');
        assert_eq!(CUSTOM_MODE_FIELDS[q.custom_field.unwrap()], "domain_from");
        assert!(!q.pick_custom_field('z'));
    }
}
