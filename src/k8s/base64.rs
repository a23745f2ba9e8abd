//! Standard base64 (RFC 4648 §4, with `=` padding) for Secret `data` values, the only
//! encoding Kubernetes uses there. Written here rather than pulled in as a crate: it is a
//! few dozen lines, and the decoded bytes go straight into a [`Secret`](crate::model::Secret).

/// Why a value is not base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base64Error {
    /// A character outside the alphabet, at this byte offset of the input.
    BadChar(usize),
    /// The length (ignoring whitespace) is not a multiple of four, or padding is misplaced.
    BadLength,
}

fn sextet(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some((c - b'A') as u32),
        b'a'..=b'z' => Some((c - b'a') as u32 + 26),
        b'0'..=b'9' => Some((c - b'0') as u32 + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Decode, ignoring ASCII whitespace (YAML folding may leave line breaks in long values).
pub(crate) fn decode(input: &str) -> Result<Vec<u8>, Base64Error> {
    let chars: Vec<(usize, u8)> = input.bytes().enumerate().filter(|(_, b)| !b.is_ascii_whitespace()).collect();
    if !chars.len().is_multiple_of(4) {
        return Err(Base64Error::BadLength);
    }
    let mut out = Vec::with_capacity(chars.len() / 4 * 3);
    let quads = chars.len() / 4;
    for (q, quad) in chars.chunks(4).enumerate() {
        let pad = quad.iter().rev().take_while(|(_, b)| *b == b'=').count();
        if pad > 2 || (pad > 0 && q + 1 != quads) {
            return Err(Base64Error::BadLength);
        }
        let mut n: u32 = 0;
        for &(i, b) in &quad[..4 - pad] {
            n = (n << 6) | sextet(b).ok_or(Base64Error::BadChar(i))?;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(decode(enc).unwrap(), plain.as_bytes(), "{enc}");
        }
        assert_eq!(decode("d2Vh\n a3Bhc3N3b3Jk").unwrap(), b"weakpassword");
        assert_eq!(decode("/+/+").unwrap(), vec![0xff, 0xef, 0xfe]);
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(decode("abc"), Err(Base64Error::BadLength));
        assert_eq!(decode("ab!d"), Err(Base64Error::BadChar(2)));
        assert_eq!(decode("Zg==Zg=="), Err(Base64Error::BadLength));
        assert_eq!(decode("Z==="), Err(Base64Error::BadLength));
        assert_eq!(decode("weak-password"), Err(Base64Error::BadLength));
        assert_eq!(decode("weak-passwor"), Err(Base64Error::BadChar(4)));
    }
}
