//! [`SmallSet`]: the value sets of the store's and the informers' indexes (the Pods carrying a
//! label pair, the objects one owner owns, the Pods at one IP), as a sorted vector while small
//! and a `BTreeSet` once large.
//!
//! Almost every such set holds one to a few names, and a `BTreeSet` allocates a whole leaf of
//! eleven slots for its first: 544 bytes for a (namespace, name) pair, 632 for an object key. A
//! 1,000-Service workload kept 15,000 of them (7.4 MB, 14 % of its heap). A set that outgrows
//! [`SmallSet::SMALL`] becomes a `BTreeSet`, so the label value every Pod of a namespace
//! carries still costs O(log n) per insert. Both forms iterate in order, so nothing that
//! reads a set can tell which it is.

use std::collections::{btree_set, BTreeSet};

/// A sorted set: a vector up to [`SmallSet::SMALL`] elements, a `BTreeSet` past it.
#[derive(Clone, Debug)]
pub(crate) enum SmallSet<V> {
    Few(Vec<V>),
    Many(BTreeSet<V>),
}

impl<V> Default for SmallSet<V> {
    fn default() -> Self {
        SmallSet::Few(Vec::new())
    }
}

impl<V: Ord> SmallSet<V> {
    /// The most elements kept in a vector: an insert shifts at most this many.
    pub(crate) const SMALL: usize = 16;

    /// Add `v`; whether it was new.
    pub(crate) fn insert(&mut self, v: V) -> bool {
        match self {
            SmallSet::Few(items) => match items.binary_search(&v) {
                Ok(_) => false,
                Err(i) if items.len() < Self::SMALL => {
                    if items.len() == items.capacity() && items.len() < 4 {
                        // One slot at a time while tiny: most sets never pass two or three.
                        items.reserve_exact(1);
                    }
                    items.insert(i, v);
                    true
                }
                Err(_) => {
                    let mut set: BTreeSet<V> = std::mem::take(items).into_iter().collect();
                    set.insert(v);
                    *self = SmallSet::Many(set);
                    true
                }
            },
            SmallSet::Many(set) => set.insert(v),
        }
    }

    /// Take `v` out; whether it was there.
    pub(crate) fn remove(&mut self, v: &V) -> bool {
        match self {
            SmallSet::Few(items) => match items.binary_search(v) {
                Ok(i) => {
                    items.remove(i);
                    true
                }
                Err(_) => false,
            },
            SmallSet::Many(set) => set.remove(v),
        }
    }
}

impl<V> SmallSet<V> {
    pub(crate) fn len(&self) -> usize {
        match self {
            SmallSet::Few(items) => items.len(),
            SmallSet::Many(set) => set.len(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The elements in order.
    pub(crate) fn iter(&self) -> Iter<'_, V> {
        match self {
            SmallSet::Few(items) => Iter::Few(items.iter()),
            SmallSet::Many(set) => Iter::Many(set.iter()),
        }
    }
}

/// [`SmallSet::iter`].
#[derive(Clone, Debug)]
pub(crate) enum Iter<'a, V> {
    Few(std::slice::Iter<'a, V>),
    Many(btree_set::Iter<'a, V>),
}

impl<'a, V> Iterator for Iter<'a, V> {
    type Item = &'a V;

    fn next(&mut self) -> Option<&'a V> {
        match self {
            Iter::Few(i) => i.next(),
            Iter::Many(i) => i.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Iter::Few(i) => i.size_hint(),
            Iter::Many(i) => i.size_hint(),
        }
    }
}

impl<V> DoubleEndedIterator for Iter<'_, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Few(i) => i.next_back(),
            Iter::Many(i) => i.next_back(),
        }
    }
}

impl<V> ExactSizeIterator for Iter<'_, V> {}

impl<'a, V> IntoIterator for &'a SmallSet<V> {
    type Item = &'a V;
    type IntoIter = Iter<'a, V>;

    fn into_iter(self) -> Iter<'a, V> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Through growth past the vector's bound and removals back below it, the set answers
        /// and iterates as a `BTreeSet` does.
        #[test]
        fn behaves_as_a_btreeset(ops in proptest::collection::vec((any::<bool>(), 0u8..40), 0..200)) {
            let mut s: SmallSet<u8> = SmallSet::default();
            let mut m: BTreeSet<u8> = BTreeSet::new();
            for (add, v) in ops {
                if add {
                    prop_assert_eq!(s.insert(v), m.insert(v));
                } else {
                    prop_assert_eq!(s.remove(&v), m.remove(&v));
                }
                prop_assert_eq!(s.len(), m.len());
                prop_assert_eq!(s.iter().any(|x| *x == v), m.contains(&v));
            }
            prop_assert!(s.iter().eq(m.iter()));
            prop_assert!(s.iter().rev().eq(m.iter().rev()));
        }
    }

    #[test]
    fn small_sets_are_vectors_and_large_ones_trees() {
        let mut s = SmallSet::default();
        s.insert(1);
        assert!(matches!(&s, SmallSet::Few(v) if v.capacity() == 1));
        for i in 0..=SmallSet::<i32>::SMALL as i32 {
            s.insert(i);
        }
        assert!(matches!(s, SmallSet::Many(_)));
    }
}
