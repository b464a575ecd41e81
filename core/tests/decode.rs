//! Snapshots of [`decode`] over every token in `data/tokens/`: a new file is a new test case.
//! Errors are snapshotted like successes.

use guestissuer_core::decode;

#[test]
fn decode_snapshots() {
    insta::glob!("data/tokens/*.jwt", |path| {
        let token = std::fs::read_to_string(path).unwrap();
        let text = match decode(&token) {
            Ok(d) => format!(
                "header: {}\npayload: {:#}\nsignature: {} bytes\nexpires_at: {:?}\n",
                serde_json::Value::Object(d.header.clone()),
                serde_json::Value::Object(d.payload.clone()),
                d.signature.len(),
                d.expires_at()
            ),
            Err(e) => format!("error: {e}\n{e:?}\n"),
        };
        insta::assert_snapshot!(text);
    });
}
