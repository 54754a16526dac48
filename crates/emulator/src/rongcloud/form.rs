//! Lenient `application/x-www-form-urlencoded` parsing, as forgiving as the vendor's, and the
//! parameter checks the form operations share.
//!
//! Pairs are split on `&`, names from values on the first `=`. In names and values `+` is a space
//! and `%XX` is the byte XX; a `%` not followed by two hex digits is kept as it is. Bytes that
//! some official SDKs send unescaped (braces, quotes, spaces, raw UTF-8) are kept as they are;
//! invalid UTF-8 is replaced with U+FFFD. A repeated name gives a list (`userId=a&userId=b`).
//! Empty pairs (`a=1&&b=2`) are skipped; a pair without `=` is a name with an empty value.
//! Names are case-sensitive; unknown names are ignored by the operations.

use super::reply::{Fail, echo};

/// The decoded pairs of a form body, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// Parses a body leniently (never fails).
    pub(crate) fn parse(body: &[u8]) -> Form {
        let pairs = body
            .split(|b| *b == b'&')
            .filter(|part| !part.is_empty())
            .map(|part| {
                let (name, value) = match part.iter().position(|b| *b == b'=') {
                    Some(i) => (&part[..i], &part[i + 1..]),
                    None => (part, &[][..]),
                };
                (decode(name), decode(value))
            })
            .collect();
        Form { pairs }
    }

    /// The first value of `name`.
    pub(crate) fn first(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A required single value: missing or empty → 1002; longer than `max_chars` characters →
    /// 1005.
    pub(crate) fn required(&self, name: &str, max_chars: usize) -> Result<&str, Fail> {
        match self.first(name) {
            Some(v) if !v.is_empty() => {
                check_chars(name, v, max_chars)?;
                Ok(v)
            }
            _ => Err(Fail::param(format!("`{name}` is required"))),
        }
    }

    /// An optional single value (an empty one counts as given); longer than `max_chars`
    /// characters → 1005.
    pub(crate) fn optional(&self, name: &str, max_chars: usize) -> Result<Option<&str>, Fail> {
        match self.first(name) {
            Some(v) => {
                check_chars(name, v, max_chars)?;
                Ok(Some(v))
            }
            None => Ok(None),
        }
    }

    /// A required list (repeated name): none, or only empty values → 1002; more than
    /// `max_items` distinct values → 1002; an item longer than `max_chars` → 1005. Empty items
    /// are dropped and duplicates removed, keeping the first occurrence's order.
    pub(crate) fn required_list(
        &self,
        name: &str,
        max_items: usize,
        max_chars: usize,
    ) -> Result<Vec<String>, Fail> {
        let mut out: Vec<String> = Vec::new();
        for v in self.all(name) {
            if v.is_empty() || out.iter().any(|o| o == v) {
                continue;
            }
            check_chars(name, v, max_chars)?;
            out.push(v.to_owned());
        }
        if out.is_empty() {
            return Err(Fail::param(format!(
                "`{name}` is required (repeat the parameter for several values)"
            )));
        }
        if out.len() > max_items {
            return Err(Fail::param(format!(
                "too many `{name}` values: {} given, at most {max_items} are allowed",
                out.len()
            )));
        }
        Ok(out)
    }
}

/// `value` has at most `max` characters, else 1005.
pub(crate) fn check_chars(name: &str, value: &str, max: usize) -> Result<(), Fail> {
    let n = value.chars().count();
    if n > max {
        return Err(Fail::too_long(format!(
            "`{name}` is {n} characters long; at most {max} are allowed"
        )));
    }
    Ok(())
}

/// `value` has at most `max` UTF-8 bytes, else 1005.
pub(crate) fn check_bytes(name: &str, value: &str, max: usize) -> Result<(), Fail> {
    if value.len() > max {
        return Err(Fail::too_long(format!(
            "`{name}` is {} bytes long; at most {max} are allowed",
            value.len()
        )));
    }
    Ok(())
}

/// A user id as `/user/getToken.json` accepts it: 1 to 64 bytes of ASCII letters, digits and
/// `+ = - _`.
pub(crate) fn check_user_id(name: &str, id: &str) -> Result<(), Fail> {
    check_bytes(name, id, 64)?;
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '=' | '-' | '_')))
    {
        return Err(Fail::param(format!(
            "`{name}` `{}` contains {bad:?}; only letters, digits and `+ = - _` are allowed",
            echo(id)
        )));
    }
    Ok(())
}

/// The ids of the list parameter `name`: repeated (`userId=a&userId=b`, as the documentation
/// shows) and/or comma-separated (`userIds=a,b`, as rc-go and rc-java send them); empty items
/// dropped, duplicates removed (first order kept); none → 1002, more than `max` → 1002, an id
/// over `max_bytes` → 1005.
pub(crate) fn id_list(
    form: &Form,
    name: &str,
    max: usize,
    max_bytes: usize,
) -> Result<Vec<String>, Fail> {
    let out = opt_id_list(form, name, max, max_bytes)?;
    if out.is_empty() {
        return Err(Fail::param(format!(
            "`{name}` is required (repeat the parameter, or separate ids with commas)"
        )));
    }
    Ok(out)
}

/// [`id_list`], where none at all is allowed (an empty list).
pub(crate) fn opt_id_list(
    form: &Form,
    name: &str,
    max: usize,
    max_bytes: usize,
) -> Result<Vec<String>, Fail> {
    let mut out: Vec<String> = Vec::new();
    for value in form.all(name) {
        for id in value.split(',').map(str::trim).filter(|id| !id.is_empty()) {
            check_bytes(name, id, max_bytes)?;
            if !out.iter().any(|o| o == id) {
                out.push(id.to_owned());
            }
        }
    }
    if out.len() > max {
        return Err(Fail::param(format!(
            "too many `{name}` values: {} given, at most {max} are allowed",
            out.len()
        )));
    }
    Ok(out)
}

/// An optional non-negative integer parameter (absent or empty → `None`); not a number → 1002.
pub(crate) fn opt_number(form: &Form, name: &str) -> Result<Option<u64>, Fail> {
    match form.first(name).map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse::<u64>()
            .map(Some)
            .map_err(|_| Fail::param(format!("`{name}` must be a non-negative integer"))),
    }
}

/// The items to skip and to take for the page named by `names` (page from 1, default 1; size
/// from 1 to `max_size`, default `default_size`); out of range → 1002.
pub(crate) fn page_window(
    form: &Form,
    (page_name, size_name): (&str, &str),
    default_size: usize,
    max_size: usize,
) -> Result<(usize, usize), Fail> {
    let page = match opt_number(form, page_name)? {
        None => 1,
        Some(0) => return Err(Fail::param(format!("`{page_name}` starts at 1"))),
        Some(p) => p,
    };
    let size = page_size(form, size_name, default_size, max_size)?;
    let skip = usize::try_from(page - 1)
        .unwrap_or(usize::MAX)
        .saturating_mul(size);
    Ok((skip, size))
}

/// The page size `name`: 1 to `max_size`, `default_size` when absent; out of range → 1002.
pub(crate) fn page_size(
    form: &Form,
    name: &str,
    default_size: usize,
    max_size: usize,
) -> Result<usize, Fail> {
    match opt_number(form, name)? {
        None => Ok(default_size),
        Some(s) => usize::try_from(s)
            .ok()
            .filter(|s| (1..=max_size).contains(s))
            .ok_or_else(|| {
                Fail::param(format!(
                    "`{name}` must be between 1 and {max_size}, not {s}"
                ))
            }),
    }
}

/// Percent-decoding with `+` as space; invalid escapes are kept literally.
fn decode(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => match (raw.get(i + 1).and_then(hex), raw.get(i + 2).and_then(hex)) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

fn hex(b: &u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_encoding() {
        let f =
            Form::parse(b"userId=jlk456j5&name=Iron+man&portraitUri=http%3A%2F%2Fabc.com%2Fp.jpg");
        assert_eq!(f.first("userId"), Some("jlk456j5"));
        assert_eq!(f.first("name"), Some("Iron man"));
        assert_eq!(f.first("portraitUri"), Some("http://abc.com/p.jpg"));
        assert_eq!(f.first("nope"), None);
    }

    #[test]
    fn repeated_names_give_lists() {
        let f = Form::parse(b"userId=a&groupId=g&userId=b&userId=a&userId=");
        assert_eq!(f.all("userId"), vec!["a", "b", "a", ""]);
        assert_eq!(f.first("userId"), Some("a"));
        assert_eq!(f.required_list("userId", 10, 64).unwrap(), vec!["a", "b"]);
        assert_eq!(
            f.required_list("userId", 1, 64).unwrap_err().code,
            crate::rongcloud::codes::PARAM_ERROR
        );
        assert_eq!(f.required_list("x", 1, 64).unwrap_err().code, 1002);
    }

    #[test]
    fn raw_unescaped_values_survive() {
        let f = Form::parse(br#"content={"content":"a b"}&objectName=RC:TxtMsg"#);
        assert_eq!(f.first("content"), Some(r#"{"content":"a b"}"#));
        assert_eq!(f.first("objectName"), Some("RC:TxtMsg"));
        let f = Form::parse("name=张三&x=100%&y=%zz%4".as_bytes());
        assert_eq!(f.first("name"), Some("张三"));
        assert_eq!(f.first("x"), Some("100%"));
        assert_eq!(f.first("y"), Some("%zz%4"));
        let f = Form::parse(b"a=%E5%BC%A0&b=%FF&flag&&c==d");
        assert_eq!(f.first("a"), Some("张"));
        assert_eq!(f.first("b"), Some("\u{FFFD}"));
        assert_eq!(f.first("flag"), Some(""));
        assert_eq!(f.first("c"), Some("=d"));
    }

    #[test]
    fn required_and_lengths() {
        let f = Form::parse(b"a=&b=xyz");
        assert_eq!(f.required("a", 5).unwrap_err().code, 1002);
        assert_eq!(f.required("z", 5).unwrap_err().code, 1002);
        assert_eq!(f.required("b", 3).unwrap(), "xyz");
        assert_eq!(f.required("b", 2).unwrap_err().code, 1005);
        assert_eq!(f.optional("a", 1).unwrap(), Some(""));
        assert_eq!(f.optional("z", 1).unwrap(), None);
        assert_eq!(check_bytes("n", "张", 2).unwrap_err().code, 1005);
        assert!(check_chars("n", "张", 1).is_ok());
    }

    #[test]
    fn user_ids() {
        assert!(check_user_id("userId", "aZ09+=-_").is_ok());
        assert_eq!(check_user_id("userId", "a b").unwrap_err().code, 1002);
        assert_eq!(check_user_id("userId", "a@b").unwrap_err().code, 1002);
        assert_eq!(
            check_user_id("userId", &"a".repeat(65)).unwrap_err().code,
            1005
        );
        assert!(check_user_id("userId", &"a".repeat(64)).is_ok());
    }
}
