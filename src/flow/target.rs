//! What differs with the Kestra version the flows are written for (`target-version`).

use crate::config::KestraVersion;
use crate::diagnostic::Severity;

/// Is the target Kestra 2.0 or later? The default target is 1.x.
pub fn is_2_0(target: Option<KestraVersion>) -> bool {
    target.is_some_and(|v| v.major >= 2)
}

/// The severity of a problem that Kestra 1.x saves and only fails on when the flow runs, while
/// Kestra 2.0 refuses to save it: a warning for a 1.x target, an error for 2.0.
pub fn refused_from_2_0(target: Option<KestraVersion>) -> Severity {
    if is_2_0(target) {
        Severity::Error
    } else {
        Severity::Warning
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warning_on_1_x_error_on_2_0() {
        assert_eq!(refused_from_2_0(None), Severity::Warning);
        assert_eq!(
            refused_from_2_0(Some(KestraVersion::new(1, 3))),
            Severity::Warning
        );
        assert_eq!(
            refused_from_2_0(Some(KestraVersion::new(2, 0))),
            Severity::Error
        );
    }
}
