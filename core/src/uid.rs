//! [`Uid`]: an object's `metadata.uid` (and an owner reference's `uid`), stored inline.
//!
//! The API server gives every object a version-4 UUID, 36 bytes of text. As a `String` it was
//! a separate allocation in every version of every object and in every owner reference: a
//! status write's copy of a Pod allocated two, the undo log dropping an old version freed two,
//! and the indexes keyed by owner UID re-read them, cold, each time a table grew. Here up to
//! 36 bytes (every UUID) live in the value itself; anything longer (a snapshot may hold any
//! text) is boxed. It reads as a `&str` (`Deref`), and compares, orders and hashes as that
//! `str` does, so a map keyed by `Uid` is looked up with a `&str` (`Borrow<str>`).

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

use serde::ser::{Serialize, Serializer};

/// Bytes held inline: a UUID's `8-4-4-4-12` hex digits and dashes.
const INLINE: usize = 36;

/// An object UID: inline up to 36 bytes, boxed past that.
#[derive(Clone)]
pub struct Uid(Repr);

#[derive(Clone)]
enum Repr {
    /// `bytes[..len]` is always a whole `&str`'s bytes (written only by [`Uid::new`]).
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    Boxed(Box<str>),
}

impl Uid {
    pub fn new(text: &str) -> Uid {
        if text.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            Uid(Repr::Inline {
                len: text.len() as u8,
                bytes,
            })
        } else {
            Uid(Repr::Boxed(text.into()))
        }
    }

    /// The text's bytes, without the UTF-8 check `as_str` makes: what comparing, ordering and
    /// hashing read (a `str`'s own `Ord` and `Hash` are over its bytes).
    fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Repr::Boxed(s) => s.as_bytes(),
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Always valid (see `Repr::Inline`); the empty string is only a formality.
            Repr::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default(),
            Repr::Boxed(s) => s,
        }
    }
}

impl Default for Uid {
    fn default() -> Uid {
        Uid::new("")
    }
}

impl Deref for Uid {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Uid {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Uid {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Uid {
    fn from(s: &str) -> Uid {
        Uid::new(s)
    }
}

impl From<&Uid> for Uid {
    fn from(u: &Uid) -> Uid {
        u.clone()
    }
}

impl From<&String> for Uid {
    fn from(s: &String) -> Uid {
        Uid::new(s)
    }
}

impl From<String> for Uid {
    fn from(s: String) -> Uid {
        Uid::new(&s)
    }
}

impl PartialEq for Uid {
    fn eq(&self, other: &Uid) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Uid {}

impl PartialEq<&Uid> for Uid {
    fn eq(&self, other: &&Uid) -> bool {
        self == *other
    }
}

impl PartialEq<str> for Uid {
    fn eq(&self, other: &str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for Uid {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<String> for Uid {
    fn eq(&self, other: &String) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialOrd for Uid {
    fn partial_cmp(&self, other: &Uid) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Uid {
    fn cmp(&self, other: &Uid) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl Hash for Uid {
    /// As the `str`'s, which `Borrow<str>` lookups require: `str::hash` is `write_str`, whose
    /// definition on stable Rust is the bytes and a `0xff` (the proptest below compares).
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.as_bytes());
        state.write_u8(0xff);
    }
}

impl fmt::Display for Uid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Uid {
    /// As a `String`'s (`"…"`), so derived `Debug` output is what it was.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Uid {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::hash_map::DefaultHasher;
    use std::hash::BuildHasher;

    fn hash_of<T: Hash + ?Sized>(t: &T) -> u64 {
        let mut h = DefaultHasher::new();
        t.hash(&mut h);
        h.finish()
    }

    #[test]
    fn a_uuid_is_inline_and_a_longer_text_boxed() {
        let uuid = "0b8f3c2e-1d4a-4b5c-9e6f-7a8b9c0d1e2f";
        assert!(matches!(Uid::new(uuid).0, Repr::Inline { len: 36, .. }));
        let long = format!("{uuid}x");
        assert!(matches!(Uid::new(&long).0, Repr::Boxed(_)));
        assert_eq!(Uid::new(&long), long);
        assert_eq!(std::mem::size_of::<Uid>(), 40);
    }

    proptest! {
        /// A `Uid` reads, compares, orders, hashes and prints as the `String` it was made from.
        #[test]
        fn behaves_as_its_string(a in "\\PC{0,40}", b in "\\PC{0,40}") {
            let (ua, ub) = (Uid::new(&a), Uid::new(&b));
            prop_assert_eq!(ua.as_str(), a.as_str());
            prop_assert_eq!(ua == ub, a == b);
            prop_assert_eq!(ua.cmp(&ub), a.cmp(&b));
            prop_assert_eq!(hash_of(&ua), hash_of(a.as_str()));
            let fixed = crate::model::FixedHash::default();
            prop_assert_eq!(fixed.hash_one(&ua), fixed.hash_one(a.as_str()), "the store's hasher");
            prop_assert_eq!(ua == b.as_str(), a == b);
            prop_assert_eq!(format!("{ua:?} {ua}"), format!("{a:?} {a}"));
            prop_assert_eq!(serde_json::to_string(&ua).unwrap(), serde_json::to_string(&a).unwrap());
        }
    }
}
