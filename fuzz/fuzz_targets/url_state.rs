//! Fuzz target: the page's URL decoding (`sdplay_web::url_state`): the query string
//! (`?seed=…&preset=…&run=…`), the share-link fragment (`#s=<base64url JSON>`) and base64url.
//! Nothing may panic, and a share state that decodes must survive its own round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sdplay_web::url_state;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let query = url_state::parse_query(&text);
    let _ = query.problems.join("\n");
    if let Some(Err(e)) = url_state::from_fragment_checked(&text) {
        let _ = e.to_string();
    }
    let _ = url_state::percent_decode(&text);
    let _ = url_state::base64url_decode(&text);
    // The input as the fragment's text, and as the JSON document a link would carry.
    for state in [url_state::from_fragment(&text), url_state::decode(&url_state::base64url_encode(data))]
        .into_iter()
        .flatten()
    {
        // What decoding kept is within the limits: it comes back unchanged, with no notes.
        let again = url_state::decode_checked(&url_state::encode(&state));
        assert_eq!(
            again.ok(),
            Some(url_state::Decoded { state, notes: Vec::new() }),
            "a decoded share state must round-trip"
        );
    }
});
