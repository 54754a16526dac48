//! `MsgBody` validation: a non-empty array of `{MsgType, MsgContent}` elements of known types,
//! with the documented fields of the right JSON types. Unknown extra fields are allowed.

use serde_json::Value;

/// The vendor's limit on a message's size (`MsgBody` plus `CloudCustomData`), in bytes.
pub(crate) const MAX_MESSAGE_BYTES: usize = 12 * 1024;

#[derive(Clone, Copy)]
enum Kind {
    Str,
    Int,
    Num,
    Array,
}

/// A field of an element's `MsgContent`: (name, kind, required).
type FieldRule = (&'static str, Kind, bool);

/// The fields of each element type.
const ELEMENTS: &[(&str, &[FieldRule])] = &[
    ("TIMTextElem", &[("Text", Kind::Str, true)]),
    (
        "TIMLocationElem",
        &[
            ("Desc", Kind::Str, false),
            ("Latitude", Kind::Num, true),
            ("Longitude", Kind::Num, true),
        ],
    ),
    (
        "TIMFaceElem",
        &[("Index", Kind::Int, true), ("Data", Kind::Str, false)],
    ),
    (
        "TIMCustomElem",
        &[
            ("Data", Kind::Str, false),
            ("Desc", Kind::Str, false),
            ("Ext", Kind::Str, false),
            ("Sound", Kind::Str, false),
        ],
    ),
    (
        "TIMSoundElem",
        &[
            ("Url", Kind::Str, false),
            ("UUID", Kind::Str, false),
            ("Size", Kind::Int, false),
            ("Second", Kind::Int, false),
            ("Download_Flag", Kind::Int, false),
        ],
    ),
    (
        "TIMImageElem",
        &[
            ("UUID", Kind::Str, false),
            ("ImageFormat", Kind::Int, false),
            ("ImageInfoArray", Kind::Array, true),
        ],
    ),
    (
        "TIMFileElem",
        &[
            ("Url", Kind::Str, false),
            ("UUID", Kind::Str, false),
            ("FileSize", Kind::Int, false),
            ("FileName", Kind::Str, false),
            ("Download_Flag", Kind::Int, false),
        ],
    ),
    (
        "TIMVideoFileElem",
        &[
            ("VideoUrl", Kind::Str, false),
            ("VideoUUID", Kind::Str, false),
            ("VideoSize", Kind::Int, false),
            ("VideoSecond", Kind::Int, false),
            ("VideoFormat", Kind::Str, false),
            ("VideoDownloadFlag", Kind::Int, false),
            ("ThumbUrl", Kind::Str, false),
            ("ThumbUUID", Kind::Str, false),
            ("ThumbSize", Kind::Int, false),
            ("ThumbWidth", Kind::Int, false),
            ("ThumbHeight", Kind::Int, false),
            ("ThumbFormat", Kind::Str, false),
            ("ThumbDownloadFlag", Kind::Int, false),
        ],
    ),
];

/// Checks a `MsgBody` array; the error is a human-readable reason.
pub(crate) fn validate(body: &[Value]) -> Result<(), String> {
    if body.is_empty() {
        return Err("`MsgBody` must hold at least one element".to_owned());
    }
    for (i, elem) in body.iter().enumerate() {
        let obj = elem.as_object().ok_or_else(|| {
            format!("`MsgBody[{i}]` must be an object with `MsgType` and `MsgContent`")
        })?;
        let msg_type = obj
            .get("MsgType")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("`MsgBody[{i}].MsgType` is required (a string)"))?;
        let content = obj
            .get("MsgContent")
            .and_then(Value::as_object)
            .ok_or_else(|| format!("`MsgBody[{i}].MsgContent` is required (an object)"))?;
        let fields = ELEMENTS
            .iter()
            .find(|(t, _)| *t == msg_type)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                format!("`MsgBody[{i}].MsgType` `{msg_type}` is not a known message element type")
            })?;
        for (name, kind, required) in fields {
            match content.get(*name).filter(|v| !v.is_null()) {
                None if *required => {
                    return Err(format!(
                        "`MsgBody[{i}].MsgContent.{name}` is required for {msg_type}"
                    ));
                }
                None => {}
                Some(v) if !matches(v, *kind) => {
                    return Err(format!(
                        "`MsgBody[{i}].MsgContent.{name}` must be {} for {msg_type}",
                        kind_name(*kind)
                    ));
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

/// The size the vendor's 12 KB limit applies to.
pub(crate) fn size(body: &Value, cloud_custom_data: Option<&str>) -> usize {
    serde_json::to_string(body).map(|s| s.len()).unwrap_or(0)
        + cloud_custom_data.map_or(0, str::len)
}

fn matches(v: &Value, kind: Kind) -> bool {
    match kind {
        Kind::Str => v.is_string(),
        Kind::Int => v.is_u64() || v.is_i64(),
        Kind::Num => v.is_number(),
        Kind::Array => v.is_array(),
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Str => "a string",
        Kind::Int => "an integer",
        Kind::Num => "a number",
        Kind::Array => "an array",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(v: Value) -> Result<(), String> {
        validate(v.as_array().map(Vec::as_slice).unwrap_or(&[]))
    }

    #[test]
    fn elements() {
        assert!(check(json!([{"MsgType": "TIMTextElem", "MsgContent": {"Text": "hi"}}])).is_ok());
        assert!(check(json!([
            {"MsgType": "TIMCustomElem", "MsgContent": {"Data": "d", "Desc": "x", "Ext": "e", "Sound": "s", "Extra": 1}},
            {"MsgType": "TIMFaceElem", "MsgContent": {"Index": 1, "Data": "x"}},
            {"MsgType": "TIMLocationElem", "MsgContent": {"Desc": "d", "Latitude": 1.5, "Longitude": 2}}
        ]))
        .is_ok());
        assert!(check(json!([])).is_err());
        assert!(check(json!([{"MsgType": "TIMTextElem", "MsgContent": {"Text": 5}}])).is_err());
        assert!(check(json!([{"MsgType": "TIMTextElem", "MsgContent": {}}])).is_err());
        assert!(check(json!([{"MsgType": "TIMBogusElem", "MsgContent": {}}])).is_err());
        assert!(check(json!([{"MsgType": "TIMTextElem"}])).is_err());
        assert!(check(json!(["text"])).is_err());
        assert!(check(json!([{"MsgType": "TIMFaceElem", "MsgContent": {"Index": "1"}}])).is_err());
    }
}
