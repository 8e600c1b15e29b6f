//! Names known to Kestra's Pebble engine: functions, filters, tests, tags.
//!
//! Sources: Pebble 3 `CoreExtension` and `I18nExtension` (PebbleTemplates/
//! pebble); Kestra `core/.../runners/pebble/Extension.java` and
//! `ExtensionCustomizer.java` (which removes the filters `escape`, `raw`,
//! `numberformat`, replaces `replace` and adds `numberFormat`, and removes the
//! tags `autoescape extends embed flush import include parallel cache from`);
//! the classes under `runners/pebble/functions|filters|tests` of newer Kestra
//! versions and the kestra.io expression reference (Enterprise functions).

/// Who provides a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Pebble core, kept by Kestra.
    Pebble,
    /// Kestra open source.
    Kestra,
    /// Kestra Enterprise Edition / Cloud only.
    Enterprise,
}

/// A function, filter or test name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Name {
    pub name: &'static str,
    pub origin: Origin,
    /// Set when the name is deprecated: what to write instead.
    pub replacement: Option<&'static str>,
    pub note: &'static str,
    /// Added with Kestra 2.0: unknown to a 1.x server.
    pub only_2_0: bool,
}

const fn n(name: &'static str, origin: Origin, note: &'static str) -> Name {
    Name {
        name,
        origin,
        replacement: None,
        note,
        only_2_0: false,
    }
}

/// A name Kestra 2.0 added.
const fn n2(name: &'static str, origin: Origin, note: &'static str) -> Name {
    Name {
        only_2_0: true,
        ..n(name, origin, note)
    }
}

const fn deprecated(
    name: &'static str,
    origin: Origin,
    replacement: &'static str,
    note: &'static str,
) -> Name {
    Name {
        name,
        origin,
        replacement: Some(replacement),
        note,
        only_2_0: false,
    }
}

use Origin::{Enterprise as E, Kestra as K, Pebble as P};

/// Functions: `{{ name(…) }}`.
pub const FUNCTIONS: &[Name] = &[
    // Pebble core (`block` and `parent` are handled by Pebble's parser).
    n("max", P, "largest of its arguments"),
    n("min", P, "smallest of its arguments"),
    n(
        "range",
        P,
        "list of numbers from start to end (inclusive), optional step",
    ),
    n("block", P, "renders a block defined by `{% block %}`"),
    n(
        "parent",
        P,
        "renders the parent block (template inheritance)",
    ),
    n(
        "i18n",
        P,
        "message from a resource bundle (Pebble I18nExtension)",
    ),
    // Kestra.
    n("now", K, "current date-time; args timeZone, format, locale"),
    deprecated(
        "json",
        K,
        "fromJson",
        "parses a JSON string; deprecated, use fromJson()",
    ),
    n("fromJson", K, "parses a JSON string into an object"),
    n(
        "fromIon",
        K,
        "parses an Ion string (e.g. one line of a file)",
    ),
    n("yaml", K, "parses a YAML string into an object"),
    n(
        "currentEachOutput",
        K,
        "output of the current iteration inside ForEach",
    ),
    n("secret", K, "reads a secret: secret('KEY')"),
    n("kv", K, "reads a key-value pair: kv('KEY', namespace='…')"),
    n("read", K, "reads an internal-storage or namespace file"),
    n("fileURI", K, "internal-storage URI of a namespace file"),
    n("render", K, "renders a string holding an expression"),
    n(
        "renderOnce",
        K,
        "renders an expression once, not recursively",
    ),
    n("encrypt", K, "encrypts a value with a key"),
    n("decrypt", K, "decrypts a value with a key"),
    n("printContext", K, "prints the whole expression context"),
    n("fetchContext", K, "returns the whole expression context"),
    n("uuid", K, "random UUID (base62)"),
    n("id", K, "short unique ID"),
    n("ksuid", K, "K-sortable unique ID"),
    n("nanoId", K, "NanoID; args length, alphabet"),
    n("randomInt", K, "random integer: randomInt(lower, upper)"),
    n("randomPort", K, "free local port"),
    n("fileSize", K, "size of an internal-storage file"),
    n("fileExists", K, "whether an internal-storage file exists"),
    n(
        "isFileEmpty",
        K,
        "whether an internal-storage file is empty",
    ),
    n("errorLogs", K, "error logs of the current execution"),
    n(
        "tasksWithState",
        K,
        "task runs of the execution in a given state",
    ),
    n("http", K, "fetches a remote payload: http(uri=…)"),
    n("env", K, "environment variable"),
    n("subflow", K, "runs a subflow from an expression"),
    n2(
        "loopOutputs",
        K,
        "one output of every iteration of a Loop (2.0)",
    ),
    n("iterationOutput", K, "output of an iteration (ForEach)"),
    n("parentOutput", K, "output of the parent task (ForEach)"),
    n("isPublicHoliday", K, "whether a date is a public holiday"),
    n(
        "isDayWeekInMonth",
        K,
        "whether a date is e.g. the first Monday of its month",
    ),
    n("isWeekend", K, "whether a date falls on a weekend"),
    n(
        "isLastWorkingDay",
        K,
        "whether a date is the last working day",
    ),
    n("dayOfWeek", K, "day of the week of a date"),
    n("hourOfDay", K, "hour of a date-time"),
    n("dayOfMonth", K, "day of the month of a date"),
    n("monthOfYear", K, "month of a date"),
    n("isDateAfter", K, "date comparison"),
    n("isDateBefore", K, "date comparison"),
    n("isDateBetween", K, "date range check"),
    // Enterprise.
    n("credential", E, "reads a managed credential (Enterprise)"),
    n("appLink", E, "link to a Kestra App (Enterprise)"),
];

/// Filters: `{{ value | name(…) }}`.
pub const FILTERS: &[Name] = &[
    // Pebble core, kept by Kestra.
    n("abbreviate", P, "shortens a string, adding an ellipsis"),
    n("abs", P, "absolute value"),
    n("base64decode", P, "decodes base64"),
    n("base64encode", P, "encodes to base64"),
    n("capitalize", P, "upper-cases the first letter"),
    n("default", P, "fallback for null or empty values"),
    n("first", P, "first element of a list or string"),
    n("format", P, "Java String.format"),
    n("join", P, "joins a list with a separator"),
    n("last", P, "last element of a list or string"),
    n("length", P, "size of a list, map or string"),
    n("lower", P, "lower case"),
    n("merge", P, "merges two lists or maps"),
    n("nl2br", P, "newlines to <br />"),
    n("reverse", P, "reverses a list"),
    n("rsort", P, "sorts a list in reverse order"),
    n("sha256", P, "SHA-256 hex digest"),
    n("slice", P, "part of a list or string"),
    n("sort", P, "sorts a list"),
    n("split", P, "splits a string into a list"),
    n("title", P, "title case"),
    n("trim", P, "removes leading and trailing whitespace"),
    n("upper", P, "upper case"),
    n("urlencode", P, "URL-encodes a string"),
    n(
        "numberFormat",
        P,
        "formats a number (Kestra's name for numberformat)",
    ),
    // Kestra (some override Pebble's: date, replace).
    n("chunk", K, "splits a list into chunks"),
    n("className", K, "Java class name of a value"),
    n("date", K, "formats a date"),
    n("dateAdd", K, "adds an amount of a unit to a date"),
    n("timestamp", K, "epoch seconds of a date"),
    n("timestampMilli", K, "epoch milliseconds of a date"),
    n("timestampMicro", K, "epoch microseconds of a date"),
    n("timestampNano", K, "epoch nanoseconds of a date"),
    n("jq", K, "applies a jq expression (result is a list)"),
    n("escapeChar", K, "escapes characters for a target language"),
    deprecated(
        "json",
        K,
        "toJson",
        "serializes to JSON; deprecated, use toJson",
    ),
    n("toJson", K, "serializes to JSON"),
    n("toIon", K, "serializes to Ion"),
    n("yaml", K, "serializes to YAML"),
    n("distinct", K, "removes duplicates from a list"),
    n("keys", K, "keys of a map"),
    n("values", K, "values of a map"),
    n("number", K, "parses a string into a number"),
    n("replace", K, "replaces substrings (Kestra's own replace)"),
    n("urldecode", K, "URL-decodes a string"),
    n("slugify", K, "slug of a string"),
    n("substringBefore", K, "text before the first separator"),
    n("substringBeforeLast", K, "text before the last separator"),
    n("substringAfter", K, "text after the first separator"),
    n("substringAfterLast", K, "text after the last separator"),
    n("flatten", K, "flattens nested lists"),
    n("indent", K, "indents all lines but the first"),
    n("nindent", K, "newline, then indents every line"),
    n("startsWith", K, "string prefix check"),
    n("endsWith", K, "string suffix check"),
    n("sha1", K, "SHA-1 hex digest"),
    n("sha512", K, "SHA-512 hex digest"),
    n("md5", K, "MD5 hex digest"),
    n("regexMatch", K, "whether a regex matches"),
    n("regexReplace", K, "replaces regex matches"),
    n("regexExtract", K, "extracts a regex match or group"),
    n("string", K, "converts a value to a string"),
    n("condense", K, "collapses whitespace"),
];

/// Pebble filters that Kestra removes, with what to use instead when there
/// is something.
pub const REMOVED_FILTERS: &[Name] = &[
    n("escape", P, "removed by Kestra (no HTML autoescaping)"),
    n("raw", P, "removed by Kestra (no HTML autoescaping)"),
    deprecated(
        "numberformat",
        P,
        "numberFormat",
        "renamed by Kestra to numberFormat",
    ),
];

/// Tests: `{{ value is name }}`.
pub const TESTS: &[Name] = &[
    n("defined", P, "the variable or attribute exists"),
    n("empty", P, "null, empty string, list or map"),
    n("null", P, "the value is null"),
    n("even", P, "even number"),
    n("odd", P, "odd number"),
    n("iterable", P, "a list or other iterable"),
    n("map", P, "a map"),
    n("json", K, "a string holding valid JSON"),
];

/// How Kestra treats a tag name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TagStatus {
    /// Available.
    Supported,
    /// A Pebble tag that Kestra removes.
    Removed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TagName {
    pub name: &'static str,
    pub status: TagStatus,
    pub note: &'static str,
}

const fn t(name: &'static str, status: TagStatus, note: &'static str) -> TagName {
    TagName { name, status, note }
}

use TagStatus::{Removed as R, Supported as S};

/// Tags: `{% name … %}`.
pub const TAGS: &[TagName] = &[
    t(
        "if",
        S,
        "{% if cond %}…{% elseif cond %}…{% else %}…{% endif %}",
    ),
    t("elseif", S, "branch of if"),
    t("else", S, "last branch of if, or empty-case of for"),
    t("endif", S, "closes if"),
    t("for", S, "{% for item in list %}…{% else %}…{% endfor %}"),
    t("endfor", S, "closes for"),
    t("set", S, "{% set name = value %}"),
    t("block", S, "{% block name %}…{% endblock %}"),
    t("endblock", S, "closes block"),
    t("filter", S, "{% filter upper %}…{% endfilter %}"),
    t("endfilter", S, "closes filter"),
    t("macro", S, "{% macro name(params) %}…{% endmacro %}"),
    t("endmacro", S, "closes macro"),
    t(
        "verbatim",
        S,
        "{% verbatim %}…{% endverbatim %}: not rendered",
    ),
    t("endverbatim", S, "closes verbatim"),
    t("raw", S, "{% raw %}…{% endraw %} (Kestra): not rendered"),
    t("endraw", S, "closes raw"),
    t("autoescape", R, "removed by Kestra"),
    t("extends", R, "removed by Kestra"),
    t("embed", R, "removed by Kestra"),
    t("flush", R, "removed by Kestra"),
    t("import", R, "removed by Kestra"),
    t("include", R, "removed by Kestra"),
    t("parallel", R, "removed by Kestra"),
    t("cache", R, "removed by Kestra"),
    t("from", R, "removed by Kestra"),
];

fn find(table: &'static [Name], name: &str) -> Option<&'static Name> {
    table.iter().find(|e| e.name == name)
}

pub fn function(name: &str) -> Option<&'static Name> {
    find(FUNCTIONS, name)
}

/// A filter Kestra knows (not one it removed: see [`removed_filter`]).
pub fn filter(name: &str) -> Option<&'static Name> {
    find(FILTERS, name)
}

pub fn removed_filter(name: &str) -> Option<&'static Name> {
    find(REMOVED_FILTERS, name)
}

pub fn test(name: &str) -> Option<&'static Name> {
    find(TESTS, name)
}

pub fn tag(name: &str) -> Option<&'static TagName> {
    TAGS.iter().find(|e| e.name == name)
}

/// The names of a table, e.g. as candidates for [`suggest`].
pub fn names(table: &'static [Name]) -> impl Iterator<Item = &'static str> {
    table.iter().map(|e| e.name)
}

/// Did-you-mean over names, with the project's one suggestion policy ([`crate::suggest`]).
pub use crate::suggest::{closest as suggest, osa as osa_distance};

/// A root variable of the expression context Kestra builds for an execution (`RunVariables`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RootVariable {
    pub name: &'static str,
    /// The attributes it always has when its set is fixed (`flow.id`); `None` when the keys
    /// come from the flow (`inputs`, `outputs`, `vars`, `labels`) or the trigger.
    pub attributes: Option<&'static [&'static str]>,
    pub origin: Origin,
}

const fn root(
    name: &'static str,
    attributes: Option<&'static [&'static str]>,
    origin: Origin,
) -> RootVariable {
    RootVariable {
        name,
        attributes,
        origin,
    }
}

/// Root variables: Kestra's `RunVariables` (1.x), plus Enterprise namespace variables.
/// `taskrun.items` is set for the subflow inputs of a ForEachItem; `schedule` is the old name
/// of a Schedule trigger's variables (until 2.0); `files` holds test fixtures; `workerTaskrun`
/// is the WorkingDirectory's task run, seen by its children.
pub const ROOT_VARIABLES: &[RootVariable] = &[
    root(
        "flow",
        Some(&["id", "namespace", "revision", "tenantId"]),
        K,
    ),
    root(
        "execution",
        Some(&["id", "state", "startDate", "originalId", "outputs"]),
        K,
    ),
    root("task", Some(&["id", "type"]), K),
    root(
        "taskrun",
        Some(&[
            "id",
            "startDate",
            "attemptsCount",
            "parentId",
            "value",
            "iteration",
            "items",
        ]),
        K,
    ),
    root("kestra", Some(&["environment", "url"]), K),
    root("inputs", None, K),
    root("outputs", None, K),
    root("tasks", None, K),
    root("vars", None, K),
    root("labels", None, K),
    root("trigger", None, K),
    root("schedule", None, K),
    root("parent", None, K),
    root("parents", None, K),
    root("envs", None, K),
    root("globals", None, K),
    root("files", None, K),
    root("workerTaskrun", None, K),
    // The 2.0 Loop task's iteration (`item.value`, `item.index`…): the Loop rules check it.
    root("item", None, K),
    // In a 2.0 Loop's `breakWhen`: the iteration just finished.
    root("iteration", Some(&["executionId", "state", "outputs"]), K),
    root("namespace", None, E),
];

pub fn root_variable(name: &str) -> Option<&'static RootVariable> {
    ROOT_VARIABLES.iter().find(|r| r.name == name)
}
