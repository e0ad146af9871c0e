//! API login and password. The password never leaves this type except as the Basic header.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The `DataForSEO` *API* login and password (not the dashboard password).
///
/// `Debug` and `Display` show the login and `***`; there is deliberately no `Serialize`, so the
/// password cannot end up in a saved file by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub login: String,
    pub password: String,
}

impl Credentials {
    pub fn new(login: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            login: login.into(),
            password: password.into(),
        }
    }

    /// `Basic base64(login:password)`, the value of the `Authorization` header.
    pub(crate) fn basic_header(&self) -> String {
        let raw = format!("{}:{}", self.login, self.password);
        format!("Basic {}", STANDARD.encode(raw))
    }

    /// `text` with every occurrence of the password (and of the encoded Basic token) replaced by
    /// `***`: a server or a library may echo what it was sent, and that must not reach a log.
    pub(crate) fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        if !self.password.is_empty() {
            out = out.replace(&self.password, "***");
        }
        let token = STANDARD.encode(format!("{}:{}", self.login, self.password));
        out.replace(&token, "***")
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("login", &self.login)
            .field("password", &"***")
            .finish()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / ***", self.login)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_password() {
        let c = Credentials::new("me@example.com", "hunter2-secret");
        for text in [format!("{c:?}"), format!("{c:#?}"), c.to_string()] {
            assert!(text.contains("me@example.com"), "{text}");
            assert!(text.contains("***"), "{text}");
            assert!(!text.contains("hunter2"), "{text}");
        }
    }

    #[test]
    fn basic_header_is_rfc7617() {
        // base64("Aladdin:open sesame"), the RFC's own example.
        let c = Credentials::new("Aladdin", "open sesame");
        assert_eq!(c.basic_header(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    }

    #[test]
    fn redact_removes_password_and_token() {
        let c = Credentials::new("Aladdin", "open sesame");
        let echoed = "got 'open sesame' in QWxhZGRpbjpvcGVuIHNlc2FtZQ== header";
        assert_eq!(c.redact(echoed), "got '***' in *** header");
    }
}
