//! Request bodies: percent-encoded forms with repeated keys for lists, or JSON on the
//! endpoints the vendor lists.

use std::borrow::Cow;

/// Whether `path` takes a JSON body (from the endpoint catalogue).
pub fn is_json_endpoint(path: &str) -> bool {
    crate::endpoints::body_kind(path) == imbridge_core::catalogue::BodyKind::Json
}

/// An `application/x-www-form-urlencoded` body under construction.
///
/// ```
/// use imbridge_rongcloud::body::Form;
///
/// let form = Form::new().field("name", "Tom & Jerry").list("userId", ["a", "b"]);
/// assert_eq!(form.encode(), "name=Tom+%26+Jerry&userId=a&userId=b");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    pairs: Vec<(Cow<'static, str>, String)>,
}

impl Form {
    /// An empty form.
    pub fn new() -> Self {
        Form::default()
    }

    /// Adds `key=value`.
    pub fn field(mut self, key: impl Into<Cow<'static, str>>, value: impl Into<String>) -> Self {
        self.pairs.push((key.into(), value.into()));
        self
    }

    /// Adds `key=value` when `value` is given.
    pub fn optional(self, key: &'static str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(v) => self.field(key, v),
            None => self,
        }
    }

    /// Adds one `key=value` per item, in order (the vendor's list encoding).
    pub fn list<I, S>(mut self, key: &'static str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.pairs
            .extend(values.into_iter().map(|v| (Cow::Borrowed(key), v.into())));
        self
    }

    /// The pairs, in order.
    pub fn pairs(&self) -> &[(Cow<'static, str>, String)] {
        &self.pairs
    }

    /// The encoded body: every byte outside `A-Z a-z 0-9 * - . _` is percent-encoded, spaces as `+`.
    pub fn encode(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.pairs {
            out.append_pair(k, v);
        }
        out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_values_are_percent_encoded_and_round_trip() {
        let values = [
            "a&b=c",
            "two words",
            "李雷",
            r#"{"content":"say \"hi\""}"#,
            "100%",
            "+plus",
            "semi;colon",
            "line\nbreak",
        ];
        let form = values.iter().fold(Form::new(), |f, v| f.field("k", *v));
        let encoded = form.encode();
        assert!(!encoded.contains(['"', '{', ' ', '\n', ';']), "{encoded}");
        assert!(
            encoded.starts_with("k=a%26b%3Dc&k=two+words&k=%E6%9D%8E%E9%9B%B7&k=%7B%22content%22"),
            "{encoded}"
        );
        let decoded: Vec<(String, String)> = url::form_urlencoded::parse(encoded.as_bytes())
            .into_owned()
            .collect();
        let back: Vec<&str> = decoded.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(back, values);
    }

    #[test]
    fn json_endpoints_are_the_vendors_list() {
        assert!(is_json_endpoint("/user/tag/set.json"));
        assert!(is_json_endpoint("/push.json"));
        assert!(!is_json_endpoint("/user/getToken.json"));
        assert!(!is_json_endpoint("/message/private/publish.json"));
    }
}
