//! Offline facts about what the Kestra server accepts when a flow is saved: Schedule `cron`
//! and `timezone`, literal input values, and Java regular expressions.
//!
//! Self-contained (std only, no `unsafe`); every public function returns instead of panicking
//! on any input.

pub mod cron;
pub mod java_regex;
pub mod literals;
pub mod timezone;
mod timezones;

pub use self::cron::{check_cron, CronError};
pub use self::java_regex::check_java_regex;
pub use self::literals::{check_input_value, is_known_input_type, Literal, INPUT_TYPES};
pub use self::timezone::check_timezone;

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random strings over characters that matter to the parsers: no
    /// checker may panic, and cron spans must stay on char boundaries.
    #[test]
    fn fuzz_no_panic() {
        const ALPHABET: &[char] = &[
            '0', '1', '5', '7', '9', '*', '/', '-', ',', '?', '#', 'L', 'W', 'H', 'M', 'O', 'N',
            'T', 'P', 'S', 'D', 'Z', 'E', 'Q', 'x', 'u', 'p', 'k', '{', '}', '[', ']', '(', ')',
            '|', '@', ':', '.', '+', ' ', '\t', '\\', '"', '^', '$', '&', '<', '>', '=', '!', 'é',
            '🙂', '\0',
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..1_000 {
            let len = (next() % 24) as usize;
            let s: String = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            for secs in [false, true] {
                if let Err(e) = check_cron(&s, secs) {
                    assert!(
                        e.span.start <= e.span.end && e.span.end <= s.len(),
                        "{s:?} {e:?}"
                    );
                    assert!(s.is_char_boundary(e.span.start) && s.is_char_boundary(e.span.end));
                }
            }
            let _ = check_timezone(&s);
            let _ = check_java_regex(&s);
            for t in INPUT_TYPES {
                let _ = check_input_value(t, &Literal::Str(&s), Some(&["a"]), Some("DATE"));
            }
        }
    }
}
