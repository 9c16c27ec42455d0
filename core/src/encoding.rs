//! Standard base64 (RFC 4648 §4, padded), as Go's `encoding/base64.StdEncoding` writes and
//! reads it: how a Secret's `data` bytes appear in JSON and YAML. Hand-written (a few lines;
//! `data-encoding` was measured too big for the page, see `web/src/url_state.rs`).

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `StdEncoding.EncodeToString`.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `StdEncoding.DecodeString`: `Err(offset)` at the first byte that is not valid (Go's
/// `illegal base64 data at input byte N`). Line breaks are skipped, as Go does.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut n = 0;
    let mut pad = 0;
    let mut last = 0;
    for (i, c) in text.bytes().enumerate() {
        if c == b'\n' || c == b'\r' {
            continue;
        }
        last = i;
        if c == b'=' {
            pad += 1;
            if n < 2 || n + pad > 4 {
                return Err(i);
            }
            continue;
        }
        if pad > 0 {
            return Err(i);
        }
        let v = ALPHABET.iter().position(|&a| a == c).ok_or(i)? as u32;
        acc = (acc << 6) | v;
        n += 1;
        if n == 4 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
            n = 0;
        }
    }
    match (n, pad) {
        (0, 0) => {}
        (2, 2) => out.push((acc >> 4) as u8),
        (3, 1) => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => return Err(last + 1),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, coded) in cases {
            assert_eq!(base64_encode(plain.as_bytes()), coded);
            assert_eq!(base64_decode(coded), Ok(plain.as_bytes().to_vec()));
        }
        assert_eq!(base64_encode(b"bb"), "YmI=");
        assert_eq!(base64_decode("Zm9v!"), Err(4));
        assert_eq!(base64_decode("Zm9"), Err(3));
        assert_eq!(base64_decode("Zg=a"), Err(3));
    }
}
