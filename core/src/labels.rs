//! [`Labels`]: the string-to-string maps of the object model (labels, annotations, selectors'
//! `matchLabels`, a Service's `selector`), as one sorted vector of pairs.
//!
//! Nearly every such map holds one to three pairs. A `BTreeMap<String, String>` allocates a
//! whole 544-byte leaf for its first pair; a 1,000-Service workload kept 16,000 of them alive
//! (8.9 MB, 17 % of its heap) and touched them on every label lookup. Here one pair costs
//! 48 bytes. Order, equality, `Debug` (which the pod-template hash reads) and serialisation
//! are the `BTreeMap`'s, so nothing that prints or hashes a map can tell the difference; the
//! property test at the bottom holds it to that.
//!
//! Lookups are binary searches. An insert is a search and a shift, which a map of a few pairs
//! does not notice; a map built from many pairs is built with [`FromIterator`] (one sort, the
//! last of equal keys kept, as repeated inserts keep it), so a manifest with 100,000 labels
//! costs a sort, not 100,000 shifts.

use std::fmt;

use serde::ser::{Serialize, Serializer};

/// A sorted map from `String` to `String` with `BTreeMap`'s interface and semantics.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Labels(Vec<(String, String)>);

impl Labels {
    pub const fn new() -> Labels {
        Labels(Vec::new())
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&String> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut String> {
        self.find(key).ok().map(|i| &mut self.0[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Insert or replace; the previous value, if any.
    pub fn insert(&mut self, key: String, value: String) -> Option<String> {
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
    pub fn entry(&mut self, key: String) -> Entry<'_> {
        Entry { map: self, key }
    }

    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut String) -> bool) {
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

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.0.iter().map(|(_, v)| v)
    }
}

/// A key's place in a [`Labels`], from [`Labels::entry`].
pub struct Entry<'a> {
    map: &'a mut Labels,
    key: String,
}

impl<'a> Entry<'a> {
    /// The value, inserting `make()` first if the key has none.
    pub fn or_insert_with(self, make: impl FnOnce() -> String) -> &'a mut String {
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

    pub fn or_insert(self, value: String) -> &'a mut String {
        self.or_insert_with(|| value)
    }
}

/// [`Labels::iter`]: `(&key, &value)` in key order, as `BTreeMap::iter`.
#[derive(Clone, Debug)]
pub struct Iter<'a>(std::slice::Iter<'a, (String, String)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a String, &'a String);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Labels {
    type Item = (&'a String, &'a String);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl IntoIterator for Labels {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl FromIterator<(String, String)> for Labels {
    /// One sort; of equal keys the last is kept, as inserting them in turn would.
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Labels {
        let mut pairs: Vec<(String, String)> = iter.into_iter().collect();
        if !pairs.is_sorted_by(|a, b| a.0 < b.0) {
            // Stable, so equal keys stay in input order and the dedup keeps the last.
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            let mut out: Vec<(String, String)> = Vec::with_capacity(pairs.len());
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

impl Extend<(String, String)> for Labels {
    fn extend<I: IntoIterator<Item = (String, String)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<const N: usize> From<[(String, String); N]> for Labels {
    fn from(pairs: [(String, String); N]) -> Labels {
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
                    Op::Insert(k, v) => prop_assert_eq!(l.insert(k.clone(), v.clone()), m.insert(k, v)),
                    Op::Remove(k) => prop_assert_eq!(l.remove(&k), m.remove(&k)),
                    Op::Retain(k) => {
                        l.retain(|key, _| *key != k);
                        m.retain(|key, _| *key != k);
                    }
                }
                prop_assert_eq!(l.len(), m.len());
            }
            prop_assert!(l.iter().eq(m.iter()));
            prop_assert!(l.iter().rev().eq(m.iter().rev()));
            for k in ["", "a", "b", "a.b", "ab"] {
                prop_assert_eq!(l.get(k), m.get(k));
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
