//! A fast hasher for the library's lookup tables: the keys of [`Map`](super::Map), construct
//! ids, node ids. Output order never depends on it ([`Map`](super::Map) keeps insertion
//! order); what matters is that hashing a short key is cheap. Keys come from the program
//! itself, not from an adversary, so a keyed hash buys nothing here.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a, 64 bits.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn write_u32(&mut self, n: u32) {
        // Node ids: one multiply-xor round per call is plenty to spread them.
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x0000_0100_0000_01b3);
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
}

/// The hasher's builder.
pub type FnvBuild = BuildHasherDefault<Fnv>;
/// A `HashMap` with the fast hasher.
pub(crate) type FastMap<K, V> = HashMap<K, V, FnvBuild>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn fnv1a_vector() {
        let mut h = Fnv::default();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn distinct_ids_hash_apart() {
        let b = FnvBuild::default();
        assert_ne!(b.hash_one(1u32), b.hash_one(2u32));
        assert_ne!(b.hash_one("Dev"), b.hash_one("Prod"));
    }
}
