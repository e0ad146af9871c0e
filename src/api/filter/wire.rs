//! API JSON ⇄ AST. (Skeleton: the filter work fills this in.)
use super::Filter;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct WireError(pub String);

impl Filter {
    pub fn from_wire(_v: &serde_json::Value) -> Result<Filter, WireError> {
        unimplemented!()
    }
    pub fn to_wire(&self) -> serde_json::Value {
        unimplemented!()
    }
}

impl serde::Serialize for Filter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_wire().serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Filter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Filter::from_wire(&v).map_err(serde::de::Error::custom)
    }
}
