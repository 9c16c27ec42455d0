//! [`Labels`]: the string-to-string maps of the object model (labels, annotations, selectors'
//! `matchLabels`, a Service's `selector`), as one sorted vector of pairs.
//!
//! Nearly every such map holds one to three pairs. A `BTreeMap<String, String>` allocates a
//! whole 544-byte leaf for its first pair; a 1,000-Service workload kept 16,000 of them alive
//! (8.9 MB, 17 % of its heap) and touched them on every label lookup. Here one pair costs
//! 48 bytes, and its key and value are [`Str`]s (`compact_str`), inline up to 24 bytes: a
//! lookup compares keys where they lie, and copying or dropping a map of short pairs touches
//! one allocation, the vector. (With `String`s, the pairs' bytes were separate allocations; at
//! 10,000 Services label lookups and the undo log dropping old versions read them cold.)
//! Order, equality, `Debug` (which the pod-template hash reads) and serialisation
//! are the `BTreeMap`'s, so nothing that prints or hashes a map can tell the difference; the
//! property test at the bottom holds it to that. Reads hand out `&str`.
//!
//! Lookups are binary searches. An insert is a search and a shift, which a map of a few pairs
//! does not notice; a map built from many pairs is built with [`FromIterator`] (one sort, the
//! last of equal keys kept, as repeated inserts keep it), so a manifest with 100,000 labels
//! costs a sort, not 100,000 shifts.

use std::fmt;

use compact_str::CompactString;
use serde::ser::{Serialize, Serializer};

/// One key or value: inline up to 24 bytes (12 on wasm32), which nearly every label key and
/// value is (`app`, `pod-template-hash`, `kubernetes.io/service-name`), so a lookup compares
/// keys without reading a second cache line, and a copy or a drop of the map touches one
/// allocation, the vector's.
pub type Str = CompactString;

/// A sorted map from string to string with `BTreeMap`'s interface and semantics.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Labels(Vec<(Str, Str)>);

impl Labels {
    pub const fn new() -> Labels {
        Labels(Vec::new())
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.find(key).ok().map(|i| self.0[i].1.as_str())
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Str> {
        self.find(key).ok().map(|i| &mut self.0[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Insert or replace; the previous value, if any.
    pub fn insert(&mut self, key: Str, value: Str) -> Option<Str> {
        // Appending in order (a decoder, a copy) is the common case: no search.
        if self.0.last().is_none_or(|(k, _)| *k < key) {
            self.grow();
            self.0.push((key, value));
            return None;
        }
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.grow();
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// Room for one more: one slot at a time while small (most maps never pass three pairs,
    /// and a first push would otherwise reserve four), doubling after.
    fn grow(&mut self) {
        if self.0.len() == self.0.capacity() && self.0.len() < 4 {
            self.0.reserve_exact(1);
        }
    }

    /// `BTreeMap::entry`, for what the printers need: `or_insert` and `or_insert_with`.
    pub fn entry(&mut self, key: Str) -> Entry<'_> {
        Entry { map: self, key }
    }

    pub fn remove(&mut self, key: &str) -> Option<Str> {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut Str) -> bool) {
        self.0.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Pairs in key order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.0.iter())
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        self.0.iter().map(|(_, v)| v.as_str())
    }
}

/// A key's place in a [`Labels`], from [`Labels::entry`].
pub struct Entry<'a> {
    map: &'a mut Labels,
    key: Str,
}

impl<'a> Entry<'a> {
    /// The value, inserting `make()` first if the key has none.
    pub fn or_insert_with(self, make: impl FnOnce() -> Str) -> &'a mut Str {
        let i = match self.map.find(&self.key) {
            Ok(i) => i,
            Err(i) => {
                self.map.grow();
                self.map.0.insert(i, (self.key, make()));
                i
            }
        };
        &mut self.map.0[i].1
    }

    pub fn or_insert(self, value: Str) -> &'a mut Str {
        self.or_insert_with(|| value)
    }
}

/// [`Labels::iter`]: `(&key, &value)` in key order, as `BTreeMap::iter`.
#[derive(Clone, Debug)]
pub struct Iter<'a>(std::slice::Iter<'a, (Str, Str)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Labels {
    type Item = (&'a str, &'a str);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl IntoIterator for Labels {
    type Item = (Str, Str);
    type IntoIter = std::vec::IntoIter<(Str, Str)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<K: Into<Str>, V: Into<Str>> FromIterator<(K, V)> for Labels {
    /// One sort; of equal keys the last is kept, as inserting them in turn would.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Labels {
        let mut pairs: Vec<(Str, Str)> = iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        if !pairs.is_sorted_by(|a, b| a.0 < b.0) {
            // Stable, so equal keys stay in input order and the dedup keeps the last.
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            let mut out: Vec<(Str, Str)> = Vec::with_capacity(pairs.len());
            for p in pairs {
                match out.last_mut() {
                    Some(last) if last.0 == p.0 => *last = p,
                    _ => out.push(p),
                }
            }
            pairs = out;
        }
        pairs.shrink_to_fit();
        Labels(pairs)
    }
}

impl<K: Into<Str>, V: Into<Str>> Extend<(K, V)> for Labels {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k.into(), v.into());
        }
    }
}

impl<K: Into<Str>, V: Into<Str>, const N: usize> From<[(K, V); N]> for Labels {
    fn from(pairs: [(K, V); N]) -> Labels {
        pairs.into_iter().collect()
    }
}

impl fmt::Debug for Labels {
    /// As `BTreeMap`'s: `{"app": "web"}` (the pod-template hash is taken over this text).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Labels {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[derive(Clone, Debug)]
    enum Op {
        Insert(String, String),
        Remove(String),
        Retain(String),
    }

    fn key() -> impl Strategy<Value = String> {
        // A small alphabet, so keys collide and prefixes of each other ("a", "a.b") occur.
        "[ab./]{0,3}"
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (key(), "[xy]{0,2}").prop_map(|(k, v)| Op::Insert(k, v)),
            key().prop_map(Op::Remove),
            key().prop_map(Op::Retain),
        ]
    }

    proptest! {
        /// Every operation answers as `BTreeMap`'s does, and the map then iterates, compares,
        /// prints and serialises as the `BTreeMap` would.
        #[test]
        fn behaves_as_a_btreemap(ops in proptest::collection::vec(op(), 0..40), built in proptest::collection::vec((key(), "[xy]{0,2}"), 0..20)) {
            let mut l: Labels = built.iter().cloned().collect();
            let mut m: BTreeMap<String, String> = built.iter().cloned().collect();
            for op in ops {
                match op {
                    Op::Insert(k, v) => prop_assert_eq!(l.insert(k.as_str().into(), v.as_str().into()).map(Str::into_string), m.insert(k, v)),
                    Op::Remove(k) => prop_assert_eq!(l.remove(&k).map(Str::into_string), m.remove(&k)),
                    Op::Retain(k) => {
                        l.retain(|key, _| *key != k);
                        m.retain(|key, _| *key != k);
                    }
                }
                prop_assert_eq!(l.len(), m.len());
            }
            prop_assert!(l.iter().eq(m.iter().map(|(k, v)| (k.as_str(), v.as_str()))));
            prop_assert!(l.iter().rev().eq(m.iter().rev().map(|(k, v)| (k.as_str(), v.as_str()))));
            for k in ["", "a", "b", "a.b", "ab"] {
                prop_assert_eq!(l.get(k), m.get(k).map(String::as_str));
                prop_assert_eq!(l.contains_key(k), m.contains_key(k));
            }
            prop_assert_eq!(format!("{l:?}"), format!("{m:?}"));
            prop_assert_eq!(serde_json::to_string(&l).unwrap(), serde_json::to_string(&m).unwrap());
            let other: Labels = m.iter().rev().map(|(k, v)| (k.clone(), v.clone())).collect();
            prop_assert_eq!(&other, &l);
            let mut with_dup = Labels::new();
            with_dup.insert("a".into(), "1".into());
            prop_assert_eq!(l.cmp(&with_dup), m.iter().cmp([(&"a".to_string(), &"1".to_string())]));
        }
    }

    #[test]
    fn one_pair_is_one_small_allocation() {
        let mut l = Labels::new();
        l.insert("app".into(), "web".into());
        assert_eq!(l.0.capacity(), 1);
        let l: Labels = [
            ("b".to_string(), "2".to_string()),
            ("a".into(), "1".into()),
            ("b".into(), "3".into()),
        ]
        .into();
        assert_eq!(format!("{l:?}"), r#"{"a": "1", "b": "3"}"#);
    }
}
