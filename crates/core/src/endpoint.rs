//! Base-URL policy shared by all backends: HTTPS by default, plain HTTP only for loopback hosts
//! or with an explicit opt-in.

use std::net::IpAddr;

use url::{Host, Url};

use crate::{Error, Result};

/// Parses and checks a caller-supplied base URL.
///
/// * `https://` is always accepted;
/// * `http://` only when the host is loopback (`localhost`, `127.0.0.0/8`, `[::1]`) or
///   `allow_insecure_http` is set;
/// * no other scheme, no user name or password, no query and no fragment;
/// * a trailing `/` is added to the path so that relative paths join under it.
///
/// ```
/// use imbridge_core::endpoint::parse_base_url;
///
/// assert!(parse_base_url("https://console.tim.qq.com", false).is_ok());
/// assert!(parse_base_url("http://127.0.0.1:8080", false).is_ok());
/// assert!(parse_base_url("http://im.example.com", false).is_err());
/// assert!(parse_base_url("http://im.example.com", true).is_ok());
/// ```
pub fn parse_base_url(raw: &str, allow_insecure_http: bool) -> Result<Url> {
    let mut url = Url::parse(raw.trim())
        // The raw text is not echoed: an unparsable URL may still carry a password.
        .map_err(|e| Error::config(format!("base URL is not a valid URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        // Never echo the URL: it carries credentials.
        return Err(Error::config(
            "base URL must not contain a user name or password",
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(&url) => {}
        "http" => {
            return Err(Error::config(format!(
                "base URL `{url}` uses plain http; use https, a loopback host, or opt in to insecure http"
            )));
        }
        other => {
            return Err(Error::config(format!(
                "base URL `{url}` has scheme `{other}`; only https (or http on loopback) is allowed"
            )));
        }
    }
    if url.host().is_none() {
        return Err(Error::config(format!("base URL `{url}` has no host")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "base URL `{url}` must not have a query or fragment"
        )));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// A short, printable excerpt of a response body for an error text: control characters become
/// spaces, at most `max_chars` characters are kept (then `…`), and an empty body says so.
///
/// ```
/// use imbridge_core::endpoint::body_excerpt;
///
/// assert_eq!(body_excerpt(b"<h1>502\nBad Gateway</h1>", 12), "<h1>502 Bad …");
/// assert_eq!(body_excerpt(b"  ", 10), "(empty body)");
/// ```
pub fn body_excerpt(bytes: &[u8], max_chars: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max_chars)
        .collect();
    if text.chars().count() > max_chars {
        out.push('…');
    }
    if out.trim().is_empty() {
        "(empty body)".to_owned()
    } else {
        out
    }
}

/// Whether the URL's host is a loopback address or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn https_is_accepted_and_normalised() {
        let url = parse_base_url("https://console.tim.qq.com", false).unwrap();
        assert_eq!(url.as_str(), "https://console.tim.qq.com/");
        let url = parse_base_url("https://proxy.example.com/im", false).unwrap();
        assert_eq!(url.as_str(), "https://proxy.example.com/im/");
    }

    #[test]
    fn plain_http_only_for_loopback_or_opt_in() {
        for ok in [
            "http://127.0.0.1:1234",
            "http://localhost:9",
            "http://[::1]:80",
            "http://127.8.9.10",
        ] {
            assert!(parse_base_url(ok, false).is_ok(), "{ok}");
        }
        let err = parse_base_url("http://10.0.0.1:8080", false).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert!(err.message().contains("plain http"));
        assert!(parse_base_url("http://10.0.0.1:8080", true).is_ok());
        assert!(parse_base_url("http://localhost.evil.com", false).is_err());
    }

    #[test]
    fn bad_urls_are_config_errors_that_never_echo_credentials() {
        assert!(parse_base_url("ftp://x.com", true).is_err());
        assert!(parse_base_url("not a url", true).is_err());
        assert!(parse_base_url("https://x.com/?a=1", true).is_err());
        let err = parse_base_url("https://user:hunter2@x.com", true).unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
        let err = parse_base_url("htt p://user:hunter2@x", true).unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
    }
}
