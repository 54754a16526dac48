//! The layered values as a tree, and a serde deserializer over it that knows each value's origin
//! and never puts a value into an error.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserializer;
use serde::de::{self, Visitor};

use super::keys::ValueKind::PerOperation;
use super::keys::{SECTIONS, env_var_of};
use super::layers::{Entry, Origin, Raw};

/// A value or a table of the layered configuration.
pub(super) enum Node {
    Value(Raw, Origin),
    Table(BTreeMap<String, Node>),
}

impl Node {
    /// The distinct origins of the values in the node.
    pub(super) fn origins(&self) -> Vec<Origin> {
        let mut out = Vec::new();
        self.collect_origins(&mut out);
        out
    }

    fn collect_origins(&self, out: &mut Vec<Origin>) {
        match self {
            Node::Value(_, origin) => {
                if !out.contains(origin) {
                    out.push(origin.clone());
                }
            }
            Node::Table(t) => t.values().for_each(|n| n.collect_origins(out)),
        }
    }
}

pub(super) fn insert_node(tree: &mut BTreeMap<String, Node>, path: &str, entry: &Entry) {
    let value = Node::Value(entry.raw.clone(), entry.origin.clone());
    match path.split_once('.') {
        None => {
            tree.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let slot = tree
                .entry(head.to_owned())
                .or_insert_with(|| Node::Table(BTreeMap::new()));
            if !matches!(slot, Node::Table(_)) {
                *slot = Node::Table(BTreeMap::new());
            }
            if let Node::Table(t) = slot {
                insert_node(t, rest, entry);
            }
        }
    }
}

/// Who gave a key, as error messages name it.
pub(super) fn subject(key: &str, origins: &[Origin]) -> String {
    match origins {
        [Origin::Env(var)] => format!("environment variable `{var}`"),
        [Origin::Override(name)] => format!("`{name}` (`{key}`)"),
        [origin] => format!("`{key}` in {origin}"),
        [] => format!("`{key}`"),
        many => format!(
            "`{key}` (from {})",
            many.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// What the key at `dotted` must be, from the key lists.
fn expected_of(dotted: &str) -> Option<&'static str> {
    let (section, rest) = dotted.split_once('.')?;
    let (_, _, keys) = SECTIONS.iter().find(|(_, s, _)| *s == section)?;
    let (name, entry) = match rest.split_once('.') {
        Some((name, entry)) => (name, Some(entry)),
        None => (rest, None),
    };
    let spec = keys.iter().find(|k| k.name == name)?;
    match (spec.kind, entry) {
        (PerOperation, Some(_)) => Some("a whole number of calls per second (0 = no limit)"),
        (kind, None) => Some(kind.expected()),
        _ => None,
    }
}

/// A deserialization problem; [`DeError::locate`] turns it into a message naming the key and
/// its origin. The serde hooks drop the offending value (`Unexpected`) on purpose.
#[derive(Debug)]
pub(super) enum DeError {
    Missing(&'static str),
    Unknown(String, &'static [&'static str]),
    /// What serde expected instead.
    Type(String),
    Custom(String),
    Located(String),
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeError::Missing(field) => write!(f, "`{field}` is missing"),
            DeError::Unknown(key, _) => write!(f, "unknown key `{key}`"),
            DeError::Type(expected) => write!(f, "must be {expected}"),
            DeError::Custom(msg) | DeError::Located(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError::Custom(msg.to_string())
    }

    fn invalid_type(_: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeError::Type(exp.to_string())
    }

    fn invalid_value(_: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        DeError::Type(exp.to_string())
    }

    fn invalid_length(_: usize, exp: &dyn de::Expected) -> Self {
        DeError::Type(exp.to_string())
    }

    fn unknown_variant(_: &str, expected: &'static [&'static str]) -> Self {
        DeError::Type(format!("one of {}", expected.join(", ")))
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        DeError::Unknown(field.to_owned(), expected)
    }

    fn missing_field(field: &'static str) -> Self {
        DeError::Missing(field)
    }

    fn duplicate_field(field: &'static str) -> Self {
        DeError::Custom(format!("`{field}` is given twice"))
    }
}

impl DeError {
    /// The message for a problem of the key or table at `dotted`, whose values come from
    /// `origins`.
    pub(super) fn locate(self, dotted: &str, origins: &[Origin]) -> DeError {
        let msg = match self {
            DeError::Located(msg) => msg,
            DeError::Missing(field) => {
                let key = format!("{dotted}.{field}");
                let from = match origins {
                    [] => String::new(),
                    some => format!(
                        " (the section's other values come from {})",
                        some.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                format!(
                    "`{key}` is missing{from}; set it in the config file or as {}",
                    env_var_of(&key)
                )
            }
            DeError::Unknown(key, known) => format!(
                "unknown key `{dotted}.{key}` in {} (known: {})",
                origins
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                known.join(", ")
            ),
            DeError::Type(expected) => format!(
                "{} must be {}",
                subject(dotted, origins),
                expected_of(dotted).unwrap_or(&expected)
            ),
            DeError::Custom(msg) => format!("{}: {msg}", subject(dotted, origins)),
        };
        DeError::Located(msg)
    }
}

/// Deserializes a [`Node`]. Values from TOML keep TOML's types (a string is not a number);
/// values from the environment and flags are text, read as the field asks.
pub(super) struct NodeDe {
    pub(super) node: Node,
    pub(super) path: String,
}

impl NodeDe {
    fn text(&self) -> Option<&str> {
        match &self.node {
            Node::Value(Raw::Text(s), _) => Some(s.trim()),
            _ => None,
        }
    }
}

macro_rules! from_text {
    ($($method:ident => $ty:ty, $visit:ident;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> std::result::Result<V::Value, DeError> {
                match self.text().map(str::parse::<$ty>) {
                    Some(Ok(n)) => visitor.$visit(n),
                    // Not a number: the visitor says what it expected.
                    Some(Err(_)) => visitor.visit_str(""),
                    None => self.deserialize_any(visitor),
                }
            }
        )*
    };
}

impl<'de> Deserializer<'de> for NodeDe {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, DeError> {
        match self.node {
            Node::Table(map) => visitor.visit_map(TableAccess {
                iter: map.into_iter(),
                value: None,
                path: self.path,
            }),
            Node::Value(Raw::Text(s), _) => visitor.visit_string(s),
            Node::Value(Raw::List(items), origin) => visitor.visit_seq(ItemsAccess {
                iter: items
                    .into_iter()
                    .map(|s| Node::Value(Raw::Text(s), origin.clone()))
                    .collect::<Vec<_>>()
                    .into_iter(),
                path: self.path,
            }),
            Node::Value(Raw::Toml(value), origin) => match value {
                toml::Value::String(s) => visitor.visit_string(s),
                toml::Value::Integer(n) => visitor.visit_i64(n),
                toml::Value::Float(x) => visitor.visit_f64(x),
                toml::Value::Boolean(b) => visitor.visit_bool(b),
                toml::Value::Datetime(d) => visitor.visit_string(d.to_string()),
                toml::Value::Array(items) => visitor.visit_seq(ItemsAccess {
                    iter: items
                        .into_iter()
                        .map(|v| Node::Value(Raw::Toml(v), origin.clone()))
                        .collect::<Vec<_>>()
                        .into_iter(),
                    path: self.path,
                }),
                toml::Value::Table(t) => visitor.visit_map(TableAccess {
                    iter: t
                        .into_iter()
                        .map(|(k, v)| (k, Node::Value(Raw::Toml(v), origin.clone())))
                        .collect::<BTreeMap<_, _>>()
                        .into_iter(),
                    value: None,
                    path: self.path,
                }),
            },
        }
    }

    fn deserialize_option<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, DeError> {
        // A key that is present has a value.
        visitor.visit_some(self)
    }

    fn deserialize_bool<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, DeError> {
        match self.text().map(str::to_ascii_lowercase).as_deref() {
            Some("true" | "1" | "yes" | "on") => visitor.visit_bool(true),
            Some("false" | "0" | "no" | "off") => visitor.visit_bool(false),
            Some(_) => visitor.visit_str(""),
            None => self.deserialize_any(visitor),
        }
    }

    from_text! {
        deserialize_u8 => u64, visit_u64;
        deserialize_u16 => u64, visit_u64;
        deserialize_u32 => u64, visit_u64;
        deserialize_u64 => u64, visit_u64;
        deserialize_i8 => i64, visit_i64;
        deserialize_i16 => i64, visit_i64;
        deserialize_i32 => i64, visit_i64;
        deserialize_i64 => i64, visit_i64;
        deserialize_f32 => f64, visit_f64;
        deserialize_f64 => f64, visit_f64;
    }

    fn deserialize_seq<V: Visitor<'de>>(
        self,
        visitor: V,
    ) -> std::result::Result<V::Value, DeError> {
        match self.node {
            // Environment: comma-separated.
            Node::Value(Raw::Text(s), origin) => visitor.visit_seq(ItemsAccess {
                iter: s
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Node::Value(Raw::Text(s.to_owned()), origin.clone()))
                    .collect::<Vec<_>>()
                    .into_iter(),
                path: self.path,
            }),
            // A single string where a list is expected is a list of one.
            Node::Value(Raw::Toml(toml::Value::String(s)), origin) => {
                visitor.visit_seq(ItemsAccess {
                    iter: vec![Node::Value(Raw::Toml(toml::Value::String(s)), origin)].into_iter(),
                    path: self.path,
                })
            }
            node => NodeDe {
                node,
                path: self.path,
            }
            .deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct newtype_struct tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct TableAccess {
    iter: std::collections::btree_map::IntoIter<String, Node>,
    value: Option<(String, Node)>,
    path: String,
}

impl<'de> de::MapAccess<'de> for TableAccess {
    type Error = DeError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> std::result::Result<Option<K::Value>, DeError> {
        let Some((key, node)) = self.iter.next() else {
            return Ok(None);
        };
        let origins = node.origins();
        let k = seed
            .deserialize(de::value::StrDeserializer::<DeError>::new(&key))
            .map_err(|e| e.locate(&self.path, &origins))?;
        self.value = Some((key, node));
        Ok(Some(k))
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> std::result::Result<V::Value, DeError> {
        let Some((key, node)) = self.value.take() else {
            return Err(DeError::Custom("a value without a key".into()));
        };
        let path = format!("{}.{key}", self.path);
        let origins = node.origins();
        seed.deserialize(NodeDe {
            node,
            path: path.clone(),
        })
        .map_err(|e| e.locate(&path, &origins))
    }
}

struct ItemsAccess {
    iter: std::vec::IntoIter<Node>,
    path: String,
}

impl<'de> de::SeqAccess<'de> for ItemsAccess {
    type Error = DeError;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> std::result::Result<Option<T::Value>, DeError> {
        // An item's problem is reported as the list's (the caller locates it).
        match self.iter.next() {
            None => Ok(None),
            Some(node) => seed
                .deserialize(NodeDe {
                    node,
                    path: self.path.clone(),
                })
                .map(Some),
        }
    }
}
