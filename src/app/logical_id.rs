//! Logical IDs derived from construct paths.
//!
//! A logical ID is the readable part of the path (each id stripped to `[A-Za-z0-9]`,
//! `Resource` and `Default` left out) followed by eight hex digits of a hash of the whole
//! path. It depends only on the construct's own path, so adding or removing other
//! constructs never changes it, and two paths that read the same once stripped
//! (`Dev-1`, `Dev1`) still get different IDs.

/// Longest logical ID CloudFormation accepts.
pub const MAX_LOGICAL_ID_LEN: usize = 255;
const HASH_LEN: usize = 8;

/// The logical ID for a construct whose path below its stack is `parts`.
///
/// ```
/// use orgstack::app::logical_id_for;
/// let id = logical_id_for(&["Organization", "Workloads", "Prod"]);
/// assert!(id.starts_with("OrganizationWorkloadsProd"));
/// assert_eq!(id.len(), "OrganizationWorkloadsProd".len() + 8);
/// ```
pub fn logical_id_for<S: AsRef<str>>(parts: &[S]) -> String {
    let mut human = String::with_capacity(48);
    for part in parts {
        let part = part.as_ref();
        if part == "Resource" || part == "Default" {
            continue;
        }
        human.extend(
            part.bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(char::from),
        );
    }
    human.truncate(MAX_LOGICAL_ID_LEN - HASH_LEN);
    let hash = (path_hash(parts) >> 32) as u32;
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for shift in (0..8).rev() {
        human.push(char::from(HEX[((hash >> (shift * 4)) & 0xF) as usize]));
    }
    human
}

/// FNV-1a over the path's parts, each followed by `/`. Stable across platforms and
/// releases: changing it would rename every resource of every user.
fn path_hash<S: AsRef<str>>(parts: &[S]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = OFFSET;
    for part in parts {
        for b in part.as_ref().bytes().chain(std::iter::once(b'/')) {
            h ^= u64::from(b);
            h = h.wrapping_mul(PRIME);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pinned vectors: if one of these changes, every deployed stack's resources would be
    /// renamed (and accounts recreated). Never update them.
    #[test]
    fn pinned_vectors() {
        assert_eq!(logical_id_for(&["Role"]), "Role6B2BB7A7");
        assert_eq!(
            logical_id_for(&["Organization", "Workloads", "Prod"]),
            "OrganizationWorkloadsProd500DD336"
        );
        assert_eq!(
            logical_id_for(&["Accounts", "Dev-1"]),
            "AccountsDev1561D1F6C"
        );
        assert_eq!(
            logical_id_for(&["Accounts", "Dev1"]),
            "AccountsDev1B660F024"
        );
        assert_eq!(logical_id_for(&["Bucket", "Resource"]), "Bucket82A2F6F0");
    }

    #[test]
    fn hash_is_fnv1a_64() {
        // The published FNV-1a 64 vector for "a" is 0xaf63dc4c8601ec8c; our hash appends `/`
        // to each part, so check the empty path and the prefix property instead.
        assert_eq!(path_hash::<&str>(&[]), 0xcbf2_9ce4_8422_2325);
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in b"a" {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        assert_eq!(h, 0xaf63_dc4c_8601_ec8c);
        let mut with_slash = h ^ u64::from(b'/');
        with_slash = with_slash.wrapping_mul(0x0000_0100_0000_01b3);
        assert_eq!(path_hash(&["a"]), with_slash);
    }

    #[test]
    fn ids_are_alphanumeric_and_bounded() {
        let long = "x".repeat(400);
        let id = logical_id_for(&[long.as_str(), "a b/c-d_é"]);
        assert_eq!(id.len(), MAX_LOGICAL_ID_LEN);
        assert!(crate::aws::is_logical_id(&id));
        let id = logical_id_for(&["--", "__"]);
        assert!(crate::aws::is_logical_id(&id), "{id}");
    }

    #[test]
    fn different_paths_that_read_the_same_differ() {
        assert_ne!(logical_id_for(&["A", "BC"]), logical_id_for(&["AB", "C"]));
    }

    #[test]
    fn validity() {
        assert!(crate::aws::is_logical_id("Abc123"));
        assert!(!crate::aws::is_logical_id(""));
        assert!(!crate::aws::is_logical_id("a-b"));
        assert!(!crate::aws::is_logical_id(&"a".repeat(256)));
    }
}
