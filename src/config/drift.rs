//! The key lists equal the settings structs, and docs/configuration.md equals the key lists.

use imbridge_core::{Result, Vendor};
use serde::Deserializer;
use serde::de::{DeserializeOwned, Visitor};

use super::de::DeError;
use super::keys::ValueKind::{self, *};
use super::keys::{SECTIONS, section_of};
use super::layers::NAMED_KEYS;
use super::{ConfigBuilder, RongCloudSettings, TencentSettings};

/// The field names serde reads for `T`, taken from its derived `Deserialize`.
fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Probe<'a>(&'a mut &'static [&'static str]);
    impl<'de> Deserializer<'de> for Probe<'_> {
        type Error = DeError;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> std::result::Result<V::Value, DeError> {
            Err(DeError::Custom("not a struct".into()))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> std::result::Result<V::Value, DeError> {
            *self.0 = fields;
            Err(DeError::Custom("probed".into()))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Probe(&mut fields));
    fields
}

fn sample(kind: ValueKind) -> Option<&'static str> {
    match kind {
        Text | Secret => Some("x"),
        UInt => Some("3"),
        Seconds => Some("7.5"),
        Bool => Some("yes"),
        List => Some("http://127.0.0.1:1,http://127.0.0.1:2"),
        PerOperation => None,
    }
}

/// A builder with every key of `vendor` set from text, as the environment would, except
/// `skip`.
fn every_key(vendor: Vendor, skip: &str) -> ConfigBuilder {
    let (section, keys) = section_of(vendor).unwrap();
    let mut b = ConfigBuilder::new();
    for k in keys
        .iter()
        .filter(|k| k.name != skip && !NAMED_KEYS.contains(&k.name))
    {
        let key = match k.kind {
            PerOperation => format!("{section}.{}.send_message", k.name),
            _ => format!("{section}.{}", k.name),
        };
        b = b
            .set(&key, sample(k.kind).unwrap_or("5"), "--test")
            .unwrap();
    }
    b
}

#[test]
fn the_key_lists_are_the_settings_fields() {
    for (vendor, fields) in [
        (Vendor::Tencent, fields_of::<TencentSettings>()),
        (Vendor::RongCloud, fields_of::<RongCloudSettings>()),
    ] {
        let (section, keys) = section_of(vendor).unwrap();
        let mut listed: Vec<&str> = keys.iter().map(|k| k.name).collect();
        let mut fields = fields.to_vec();
        listed.sort_unstable();
        fields.sort_unstable();
        assert_eq!(listed, fields, "[{section}] keys vs fields");

        // Every key takes a value of its kind from text; a required key is needed, the
        // others are not. (`region` and `group_mode` are checked against the vendor's names,
        // not here.)
        every_key(vendor, "").section_check(vendor).unwrap();
        for k in keys.iter().filter(|k| !NAMED_KEYS.contains(&k.name)) {
            let without = every_key(vendor, k.name).section_check(vendor);
            assert_eq!(without.is_err(), k.required, "{section}.{}", k.name);
            // Every key that is not text refuses a word, saying what it wants.
            let (key, expected) = match k.kind {
                Text | Secret | List => continue,
                PerOperation => (
                    format!("{section}.{}.send_message", k.name),
                    "must be a whole number",
                ),
                kind => (format!("{section}.{}", k.name), kind.expected()),
            };
            let wrong = every_key(vendor, "")
                .set(&key, "not-a-value", "--wrong")
                .unwrap()
                .section_check(vendor)
                .unwrap_err();
            assert!(wrong.message().contains(expected), "{key}: {wrong}");
        }
    }
}

impl ConfigBuilder {
    fn section_check(&self, vendor: Vendor) -> Result<()> {
        match vendor {
            Vendor::Tencent => self.section::<TencentSettings>(vendor).map(drop),
            _ => self.section::<RongCloudSettings>(vendor).map(drop),
        }
    }
}

fn rows() -> Vec<String> {
    SECTIONS
        .iter()
        .flat_map(|(_, section, keys)| {
            keys.iter().map(move |k| {
                format!(
                    "| `{}` | `{}` | {} | {} | {} |",
                    k.name,
                    k.env_var(section),
                    k.kind.doc_name(),
                    if k.required { "yes" } else { "no" },
                    k.doc
                )
            })
        })
        .collect()
}

#[test]
fn docs_have_one_row_per_key_and_no_other() {
    let doc = include_str!("../../docs/configuration.md");
    let documented: Vec<&str> = doc
        .lines()
        .filter(|l| l.starts_with("| `") && l.contains("| `IMBRIDGE_"))
        .collect();
    let expected = rows();
    for row in &expected {
        assert!(
            documented.contains(&row.as_str()),
            "docs/configuration.md lacks the row\n{row}"
        );
    }
    for row in &documented {
        assert!(
            expected.iter().any(|r| r == row),
            "docs/configuration.md has a row for no key (or an outdated one)\n{row}"
        );
    }
    assert_eq!(
        documented.len(),
        expected.len(),
        "a key is documented twice"
    );
    assert!(doc.contains("`IMBRIDGE_PROVIDER`"));
}
