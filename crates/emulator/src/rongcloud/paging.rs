//! Opaque `pageToken` paging, as the vendor's hosted-group queries use it: a request without
//! `pageToken` (or with an empty one) gets the first page; an answer's `pageToken` names the
//! next page, `""` when there is none.
//!
//! The emulator's tokens encode a position in the ordered list (so a list that changes between
//! two pages may repeat or skip an item); clients must treat them as opaque strings. A token the
//! emulator did not issue gets 1002.

use super::form::{Form, opt_number, page_size};
use super::reply::{Fail, echo};

/// Mixed into tokens so that they do not read as plain numbers.
const MASK: u64 = 0x5eed_c0de_2b1d_9a47;

/// The token of the page starting at `offset`.
fn encode(offset: usize) -> String {
    format!("pt{:016x}", (offset as u64) ^ MASK)
}

/// The offset a token names; absent or empty = 0.
fn decode(token: Option<&str>) -> Result<usize, Fail> {
    let token = token.map(str::trim).unwrap_or("");
    if token.is_empty() {
        return Ok(0);
    }
    token
        .strip_prefix("pt")
        .filter(|hex| hex.len() == 16)
        .and_then(|hex| u64::from_str_radix(hex, 16).ok())
        .and_then(|n| usize::try_from(n ^ MASK).ok())
        .ok_or_else(|| {
            Fail::param(format!(
                "`pageToken` `{}` is not a token this server answered; omit it for the first page",
                echo(token)
            ))
        })
}

/// The `order` parameter: 0 ascending, 1 descending; absent = `default_desc`.
pub(crate) fn descending(form: &Form, default_desc: bool) -> Result<bool, Fail> {
    match opt_number(form, "order")? {
        None => Ok(default_desc),
        Some(0) => Ok(false),
        Some(1) => Ok(true),
        Some(n) => Err(Fail::param(format!(
            "`order` must be 0 (ascending) or 1 (descending), not {n}"
        ))),
    }
}

/// The page of `items` that `pageToken` and `size` (1 to `max_size`, default `default_size`)
/// name, and the next page's token (`""` when this page is the last).
pub(crate) fn page<T>(
    items: Vec<T>,
    form: &Form,
    default_size: usize,
    max_size: usize,
) -> Result<(Vec<T>, String), Fail> {
    let offset = decode(form.first("pageToken"))?;
    let size = page_size(form, "size", default_size, max_size)?;
    let total = items.len();
    let page: Vec<T> = items.into_iter().skip(offset).take(size).collect();
    let end = offset.saturating_add(size);
    let next = if end < total {
        encode(end)
    } else {
        String::new()
    };
    Ok((page, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_refuse_strangers() {
        for n in [0, 1, 50, 123_456] {
            assert_eq!(decode(Some(&encode(n))).unwrap(), n);
        }
        assert_eq!(decode(None).unwrap(), 0);
        assert_eq!(decode(Some("")).unwrap(), 0);
        assert_eq!(decode(Some("50")).unwrap_err().code, 1002);
        assert_eq!(decode(Some("ptzz")).unwrap_err().code, 1002);
    }

    #[test]
    fn pages_end_with_an_empty_token() {
        let form = Form::parse(b"size=2");
        let (p, next) = page(vec![1, 2, 3], &form, 50, 100).unwrap();
        assert_eq!(p, [1, 2]);
        let form = Form::parse(format!("size=2&pageToken={next}").as_bytes());
        let (p, next) = page(vec![1, 2, 3], &form, 50, 100).unwrap();
        assert_eq!((p, next.as_str()), (vec![3], ""));
        let form = Form::parse(b"size=101");
        assert_eq!(page(vec![1], &form, 50, 100).unwrap_err().code, 1002);
    }
}
