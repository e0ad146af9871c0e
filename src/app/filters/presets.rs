//! The presets menu: the narrowing SEO people do all day, one key each. Every preset ADDS to
//! the expression (`and`); none replaces what the user wrote.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::api::filter::{Condition, Filter, Op, Value};
use crate::api::request::StatusType;

/// Default N of "authority ≥ N" (`domain_from_rank`, 0–1000); editable right after.
pub const AUTHORITY_DEFAULT: i64 = 200;
/// Default N of "exclude spam" (`backlink_spam_score < N`, 0–100); editable right after.
pub const SPAM_DEFAULT: i64 = 30;

/// One entry of the menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    DofollowOnly,
    TextLinksOnly,
    NewLinks,
    LostLinks,
    Authority,
    ExcludeSpam,
    FirstSeenDays(u32),
}

/// What a preset does to the draft.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Add this condition; `ask` = open the value box on it so N can be changed at once.
    Add { cond: Condition, ask: bool },
    /// Switch the query's status control.
    Status(StatusType),
}

impl Preset {
    /// The menu, in order (digits 1–9 pick these).
    pub const ALL: &'static [Preset] = &[
        Preset::DofollowOnly,
        Preset::TextLinksOnly,
        Preset::NewLinks,
        Preset::LostLinks,
        Preset::Authority,
        Preset::ExcludeSpam,
        Preset::FirstSeenDays(30),
        Preset::FirstSeenDays(90),
        Preset::FirstSeenDays(365),
    ];

    /// The menu line.
    pub fn label(self) -> String {
        match self {
            Preset::DofollowOnly => "dofollow only".into(),
            Preset::TextLinksOnly => "text links only (no images, redirects…)".into(),
            Preset::NewLinks => "new links".into(),
            Preset::LostLinks => "lost links (status → lost)".into(),
            Preset::Authority => {
                format!("authority ≥ N (domain rank, default {AUTHORITY_DEFAULT})")
            }
            Preset::ExcludeSpam => format!("exclude spam (spam score < N, default {SPAM_DEFAULT})"),
            Preset::FirstSeenDays(n) => format!("first seen in the last {n} days"),
        }
    }

    /// What choosing it does; `today` is needed for the date presets.
    pub fn effect(self, today: Option<Date>) -> Result<Effect, String> {
        let add = |field: &str, op: Op, value: Value, ask: bool| Effect::Add {
            cond: Condition {
                field: field.into(),
                op,
                value,
            },
            ask,
        };
        Ok(match self {
            Preset::DofollowOnly => add("dofollow", Op::Eq, Value::Bool(true), false),
            Preset::TextLinksOnly => add("item_type", Op::Eq, Value::Str("anchor".into()), false),
            Preset::NewLinks => add("is_new", Op::Eq, Value::Bool(true), false),
            Preset::LostLinks => Effect::Status(StatusType::Lost),
            Preset::Authority => add(
                "domain_from_rank",
                Op::Ge,
                Value::Int(AUTHORITY_DEFAULT),
                true,
            ),
            Preset::ExcludeSpam => add(
                "backlink_spam_score",
                Op::Lt,
                Value::Int(SPAM_DEFAULT),
                true,
            ),
            Preset::FirstSeenDays(n) => {
                let today = today.ok_or_else(|| {
                    "today's date is not known yet, so 'last N days' cannot be computed".to_owned()
                })?;
                add(
                    "first_seen",
                    Op::Ge,
                    Value::Str(today.saturating_sub(i64::from(n).days()).to_string()),
                    false,
                )
            }
        })
    }
}

/// Whether `f` already has a condition on `field` (a preset then says so: the user may have
/// meant to change that condition rather than add one).
pub fn mentions(f: &Filter, field: &str) -> bool {
    match f {
        Filter::Cond(c) => c.field == field,
        Filter::Group(g) => g.items.iter().any(|i| mentions(i, field)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_presets_count_back_from_today() {
        let since = |today: Date, n| match Preset::FirstSeenDays(n).effect(Some(today)) {
            Ok(Effect::Add { cond, .. }) => Filter::Cond(cond).to_string(),
            _ => panic!("adds a condition"),
        };
        let today = jiff::civil::date(2025, 3, 31);
        assert_eq!(since(today, 30), "first_seen >= \"2025-03-01\"");
        assert!(Preset::FirstSeenDays(90).effect(None).is_err());
        // Counting back crosses months, years and leap days.
        let today = jiff::civil::date(2024, 3, 1);
        for (n, date) in [
            (0, "2024-03-01"),
            (1, "2024-02-29"),
            (30, "2024-01-31"),
            (90, "2023-12-02"),
            (365, "2023-03-02"),
        ] {
            assert_eq!(since(today, n), format!("first_seen >= \"{date}\""), "{n}");
        }
    }
}
