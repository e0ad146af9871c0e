//! `GET /v3/appendix/user_data` (appendix-user-data.md): the account's balance, deposits and
//! spending. Free. Every field may be null and unknown keys are ignored; the per-API maps of
//! limits and statistics have dynamic keys, so they stay JSON values and only their `total`
//! is read.

use serde::Deserialize;
use serde_json::{Map, Value};

/// `tasks[0].result[0]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct UserData {
    pub login: Option<String>,
    pub timezone: Option<String>,
    pub money: Option<Money>,
}

/// `money`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Money {
    /// Money ever deposited, USD.
    pub total: Option<f64>,
    /// Money left, USD.
    pub balance: Option<f64>,
    pub limits: Option<Periods>,
    pub statistics: Option<Periods>,
}

/// `{"day": {...}, "minute": {...}}`, keyed by API, `total` included.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Periods {
    pub day: Option<Map<String, Value>>,
    pub minute: Option<Map<String, Value>>,
}

impl Periods {
    /// The day's `total`, when it is a number.
    fn day_total(&self) -> Option<f64> {
        self.day.as_ref()?.get("total")?.as_f64()
    }
}

impl UserData {
    /// Decodes a whole response body (the usual envelope around one result object).
    pub fn from_body(body: &[u8]) -> Result<UserData, serde_json::Error> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Envelope {
            tasks: Option<Vec<Task>>,
        }
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Task {
            result: Option<Vec<Option<UserData>>>,
        }
        let env: Envelope = serde_json::from_slice(body)?;
        Ok(env
            .tasks
            .and_then(|t| t.into_iter().next())
            .and_then(|t| t.result)
            .and_then(|r| r.into_iter().next().flatten())
            .unwrap_or_default())
    }

    /// Money left, USD.
    pub fn balance(&self) -> Option<f64> {
        self.money.as_ref()?.balance
    }

    /// Money ever deposited, USD.
    pub fn deposited(&self) -> Option<f64> {
        self.money.as_ref()?.total
    }

    /// Spent today, USD.
    pub fn spent_today(&self) -> Option<f64> {
        self.money.as_ref()?.statistics.as_ref()?.day_total()
    }

    /// The daily spending limit, when one is set (0 or absent: none).
    pub fn daily_limit(&self) -> Option<f64> {
        self.money
            .as_ref()?
            .limits
            .as_ref()?
            .day_total()
            .filter(|v| *v > 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_shape_decodes_with_unknown_keys() {
        let body = br#"{"version":"0.1","status_code":20000,"cost":0,"tasks":[{"id":"x",
            "status_code":20000,"path":["v3","appendix","user_data"],"result_count":1,
            "result":[{"login":"me","timezone":"UTC","something_new":[1,2],
              "rates":{"limits":{"day":{"serp":1000}},"statistics":{}},
              "money":{"total":100.0,"balance":48.21,
                "limits":{"day":{"total":10.0,"backlinks":5},"minute":{"total":1}},
                "statistics":{"day":{"total":1.79,"backlinks":1.79},"minute":{}}},
              "price":{"backlinks":{"live":{"cost":0.02}}},
              "backlinks_subscription_expiry_date":null}]}]}"#;
        let u = UserData::from_body(body).unwrap();
        assert_eq!(u.balance(), Some(48.21));
        assert_eq!(u.deposited(), Some(100.0));
        assert_eq!(u.spent_today(), Some(1.79));
        assert_eq!(u.daily_limit(), Some(10.0));
        assert_eq!(u.login.as_deref(), Some("me"));
    }

    #[test]
    fn every_field_null_decodes_to_nothing_known() {
        for body in [
            &br#"{"tasks":[{"result":[{"login":null,"money":null}]}]}"#[..],
            br#"{"tasks":[{"result":[{"money":{"total":null,"balance":null,"limits":null,"statistics":{"day":null}}}]}]}"#,
            br#"{"tasks":[{"result":[null]}]}"#,
            br#"{"tasks":[{"result":null}]}"#,
            br#"{"tasks":null}"#,
        ] {
            let u = UserData::from_body(body).unwrap();
            assert_eq!(u.balance(), None);
            assert_eq!(u.spent_today(), None);
            assert_eq!(u.daily_limit(), None);
        }
    }

    #[test]
    fn a_zero_daily_limit_means_none() {
        let body = br#"{"tasks":[{"result":[{"money":{"limits":{"day":{"total":0}}}}]}]}"#;
        assert_eq!(UserData::from_body(body).unwrap().daily_limit(), None);
    }
}
