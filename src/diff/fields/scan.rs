//! The eleven fields of one item's JSON object, for [`super::extract`], read with the row
//! store's member scanner ([`crate::rows::scan`]): the values of the other keys are skipped
//! (strings with `memchr`, nested values by depth) without being decoded. It answers `None`
//! for anything it does not expect, and the caller asks serde instead, so it only has to be
//! right on input it accepts.
//!
//! Why not serde alone: serde checks and matches every one of the 47 keys and walks every
//! skipped string byte by byte; a diff of two million rows spent most of its time there.

use crate::rows::scan;

use super::LinkFields;

pub(super) fn fields(text: &str) -> Option<LinkFields<'_>> {
    let mut f = LinkFields::default();
    for member in scan::members(text.as_bytes()) {
        let m = member.ok()?;
        if m.key_escaped {
            return None;
        }
        let (v, at) = (m.value, m.at);
        match m.key {
            b"url_from" => f.url_from = scan::string_or_null(v, at).ok()?,
            b"url_to" => f.url_to = scan::string_or_null(v, at).ok()?,
            b"item_type" => f.item_type = scan::string_or_null(v, at).ok()?,
            b"anchor" => f.anchor = scan::string_or_null(v, at).ok()?,
            b"dofollow" => f.dofollow = scan::bool_or_null(v, at).ok()?,
            b"attributes" => {
                let mut list = Vec::new();
                let present = scan::each_string(v, at, |s| list.push(s)).ok()?;
                f.attributes = present.then_some(list);
            }
            b"is_broken" => f.is_broken = scan::bool_or_null(v, at).ok()?,
            b"url_to_status_code" => f.url_to_status_code = scan::int_or_null(v, at).ok()?,
            b"url_to_redirect_target" => {
                f.url_to_redirect_target = scan::string_or_null(v, at).ok()?;
            }
            b"semantic_location" => f.semantic_location = scan::string_or_null(v, at).ok()?,
            b"original" => f.original = scan::bool_or_null(v, at).ok()?,
            _ => {}
        }
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde(text: &str) -> Option<LinkFields<'_>> {
        serde_json::from_str(text).ok()
    }

    #[test]
    fn the_scanner_reads_what_serde_reads() {
        for text in [
            r#"{"url_from":"https://a.example/","url_to":"https://t.example/","item_type":"anchor","anchor":"x","dofollow":true,"attributes":["ugc","nofollow"],"is_broken":false,"url_to_status_code":301,"url_to_redirect_target":null,"semantic_location":"footer","original":false}"#,
            r#" { "anchor" : "quote \" and \\ and \u00e9" , "nested": {"a":[1,{"b":"}]"}],"c":null}, "rank": -12, "attributes": [ ] , "url_to_status_code": -1 } "#,
            r"{}",
            r#"{"attributes":null,"text_pre":"a [ b { c","x":[[],[]],"y":1.5e3,"z":false}"#,
        ] {
            assert_eq!(fields(text), serde(text), "{text}");
            assert!(fields(text).is_some(), "{text}");
        }
    }

    #[test]
    fn what_it_does_not_expect_is_left_to_serde() {
        for text in [
            r#"{"url_to_status_code":2.0}"#,
            r#"{"url_from":"a""#,
            r#"{"url_from":"a"} trailing"#,
            r#"{"dofollow":"yes"}"#,
            r#"{"a\u0062":1}"#,
            r"[1]",
        ] {
            assert_eq!(fields(text), None, "{text}");
        }
    }
}
