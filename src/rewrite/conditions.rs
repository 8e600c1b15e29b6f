//! 1.x trigger conditions as a Pebble condition for 2.0's trigger `when` (kestra-migrate's
//! converters, for the shapes whose meaning is plain). A list converts whole or not at all.

use crate::flow::types::canonical;
use crate::yaml::Node;

const CORE: &str = "io.kestra.plugin.core.condition.";

/// The simple name of a core condition type (`DayWeek`), old names included.
fn core_name(node: &Node) -> Option<&str> {
    let ty = canonical(node.get_str("type")?);
    let name = ty.strip_prefix(CORE)?;
    Some(name.strip_suffix("Condition").unwrap_or(name))
}

/// The Pebble expression inside a value that is exactly one `{{ … }}`.
fn body(s: &str) -> Option<String> {
    let inner = s.trim().strip_prefix("{{")?.strip_suffix("}}")?;
    (!inner.contains("{{") && !inner.contains("}}") && !inner.trim().is_empty())
        .then(|| inner.trim().to_string())
}

/// Only these keys (besides `type`) may be set for a converter to keep the meaning.
fn only(node: &Node, keys: &[&str]) -> Option<()> {
    node.as_map()?
        .iter()
        .all(|e| {
            e.key_str()
                .is_some_and(|k| k == "type" || keys.contains(&k))
        })
        .then_some(())
}

/// A condition's `date` must be the trigger's date (the default) for the date functions.
fn trigger_date(node: &Node) -> Option<()> {
    match node.get_str("date") {
        None => Some(()),
        Some(d) => (body(d)?.replace(' ', "") == "trigger.date").then_some(()),
    }
}

fn day(s: &str) -> Option<&str> {
    matches!(
        s,
        "MONDAY" | "TUESDAY" | "WEDNESDAY" | "THURSDAY" | "FRIDAY" | "SATURDAY" | "SUNDAY"
    )
    .then_some(s)
}

/// One condition of a non-Flow trigger as a Pebble expression.
pub fn condition(node: &Node) -> Option<String> {
    match core_name(node)? {
        "Expression" => {
            only(node, &["expression"])?;
            body(node.get_str("expression")?)
        }
        "Variable" => {
            only(node, &["expression"])?;
            body(node.get_str("expression")?)
        }
        "DayWeek" => {
            only(node, &["dayOfWeek", "date"])?;
            trigger_date(node)?;
            let d = day(node.get_str("dayOfWeek")?)?;
            Some(format!("dayOfWeek(trigger.date) == '{d}'"))
        }
        "Weekend" => {
            only(node, &["date"])?;
            trigger_date(node)?;
            Some("isWeekend(trigger.date)".to_string())
        }
        "Not" => {
            only(node, &["conditions"])?;
            let inner = all(node.get("conditions")?.as_seq()?)?;
            Some(format!("not ({inner})"))
        }
        "Or" => {
            only(node, &["conditions"])?;
            let items = node.get("conditions")?.as_seq()?;
            if items.is_empty() {
                return None;
            }
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|c| condition(c).map(|e| format!("({e})")))
                .collect();
            Some(parts?.join(" or "))
        }
        _ => None,
    }
}

/// Every condition of a list, joined with `and` (each in parentheses when several).
pub fn all(items: &[Node]) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    let parts: Option<Vec<String>> = items.iter().map(condition).collect();
    let parts = parts?;
    Some(if parts.len() == 1 {
        parts[0].clone()
    } else {
        parts
            .iter()
            .map(|p| format!("({p})"))
            .collect::<Vec<_>>()
            .join(" and ")
    })
}
