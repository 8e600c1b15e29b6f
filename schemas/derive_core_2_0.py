#!/usr/bin/env python3
"""Derive the embedded Kestra 2.0 core schema from the 1.3.19 one.

    python3 schemas/derive_core_2_0.py            # rewrite schemas/kestra-core-2.0.schema.json
    python3 schemas/derive_core_2_0.py --check    # exit 1 if the committed file is stale

Kestra 2.0 keeps most of the 1.3 model; this script is the list of what it changed, one step
per group of facts, each with where the fact was read (see schemas/README.md, "Kestra 2.0").
Standard library only, deterministic output (same layout as the 1.3 file).
"""

import copy
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "kestra-core.schema.json"
TARGET = HERE / "kestra-core-2.0.schema.json"

CORE = "io.kestra.plugin.core."
TASK_UNION = "io.kestra.core.models.tasks.Task"
TRIGGER_UNION = "io.kestra.core.models.triggers.AbstractTrigger"
INPUT_UNION = "io.kestra.core.models.flows.Input"
WORKER_SELECTOR = "io.kestra.core.models.tasks.WorkerSelector"
WINDOW = "io.kestra.core.models.triggers.Window"
DEPENDS_ON = "io.kestra.plugin.core.trigger.Flow$DependsOn"
LOOP = CORE + "flow.Loop"

STATES = [
    "CREATED", "SUBMITTED", "RUNNING", "PAUSED", "RESTARTED", "KILLING", "SUCCESS", "WARNING",
    "FAILED", "KILLED", "CANCELLED", "QUEUED", "RETRYING", "RETRIED", "SKIPPED", "BREAKPOINT",
    "RESUBMITTED",
]

# Types Kestra 2.0 no longer knows (migration guide, kestra-migrate's removed-type list).
REMOVED_TYPES = [
    CORE + "debug.Echo",
    CORE + "flow.Template",
    CORE + "flow.ForEach",
    CORE + "flow.ForEachItem",
    CORE + "flow.EachSequential",
    CORE + "flow.EachParallel",
    CORE + "state.Get",
    CORE + "state.Set",
    CORE + "state.Delete",
    CORE + "storage.LocalFiles",
    CORE + "execution.Count",
    CORE + "execution.Resume",
    CORE + "log.Fetch",
    CORE + "trigger.Toggle",
    # Every condition: triggers use `when` (and the Flow trigger `dependsOn`) instead.
    CORE + "condition.DateTimeBetween",
    CORE + "condition.DayWeek",
    CORE + "condition.DayWeekInMonth",
    CORE + "condition.ExecutionFlow",
    CORE + "condition.ExecutionLabels",
    CORE + "condition.ExecutionNamespace",
    CORE + "condition.ExecutionOutputs",
    CORE + "condition.ExecutionStatus",
    CORE + "condition.Expression",
    CORE + "condition.FlowCondition",
    CORE + "condition.FlowNamespaceCondition",
    CORE + "condition.HasRetryAttempt",
    CORE + "condition.MultipleCondition",
    CORE + "condition.Not",
    CORE + "condition.Or",
    CORE + "condition.PublicHoliday",
    CORE + "condition.TimeBetween",
    CORE + "condition.Weekend",
    "io.kestra.core.models.flows.input.BooleanInput",
    "io.kestra.core.models.flows.input.EnumInput",
]

# Flow properties 2.0 refuses: `Unrecognized field "pluginDefaults"`.
REMOVED_FLOW_PROPERTIES = ["listeners", "pluginDefaults", "taskDefaults", "workerGroup"]
# On every trigger (AbstractTrigger; Schedule's backfill).
REMOVED_TRIGGER_PROPERTIES = [
    "conditions", "scheduleConditions", "minLogLevel", "workerGroup", "backfill", "backfills",
]
# Per type: properties removed from one class.
REMOVED_PROPERTIES = {
    CORE + "trigger.Flow": ["preconditions"],
    CORE + "flow.Subflow": ["outputs"],
    CORE + "flow.Pause": ["delay", "tasks"],
    CORE + "http.Request": ["sslOptions"],
    CORE + "http.Download": ["sslOptions"],
    CORE + "http.SseRequest": ["sslOptions"],
    CORE + "http.Trigger": ["sslOptions"],
    "io.kestra.core.http.client.configurations.HttpConfiguration": [
        "basicAuthUser", "basicAuthPassword", "connectionPoolIdleTimeout",
    ],
    "io.kestra.core.models.tasks.retrys.Constant": ["maxAttempt"],
    "io.kestra.core.models.tasks.retrys.Exponential": ["maxAttempt"],
    "io.kestra.core.models.tasks.retrys.Random": ["maxAttempt"],
    "io.kestra.core.models.flows.input.MultiselectInput": ["options"],
    "io.kestra.core.models.flows.input.FileInput": ["extension"],
}

# Core types found in 2.0-era source whose properties were not read: known to exist, so not
# "unknown type", but left open (no unknown-property check) rather than guessed.
OPEN_TASKS = [
    CORE + "flow.Approval",
    CORE + "flow.Wait",
    CORE + "flow.PurgeFlows",
    CORE + "flow.Version",
    CORE + "execution.Kill",
]
OPEN_TRIGGERS = [
    CORE + "trigger.BatchWebhook",
    CORE + "trigger.McpToolTrigger",
]
# FORM and REUSABLE_INPUTS are Enterprise-only: left out, so the edition decides (S005).
OPEN_INPUTS = ["OBJECT", "TABLE", "ION"]
OPEN_INPUT_CLASSES = {
    "OBJECT": "ObjectInput",
    "TABLE": "TableInput",
    "ION": "IonInput",
}


def ref(key):
    return {"$ref": "#/definitions/" + key}


def worker_selector():
    # WorkerSelector.java (2.0-era source): tags (at most 20 RFC 1123 labels), match, fallback.
    return {
        "type": "object",
        "properties": {
            "tags": {
                "type": "array",
                "items": {
                    "type": "string",
                    "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
                    "maxLength": 63,
                },
                "maxItems": 20,
            },
            "match": {"type": "string", "enum": ["ALL", "ANY"], "default": "ALL"},
            "fallback": {
                "type": "string",
                "enum": ["FAIL", "WAIT", "CANCEL", "IGNORE"],
                "default": "FAIL",
            },
        },
        "title": "Worker selector: route to workers by tags",
    }


def window():
    # Window.java: the kind of window is inferred from the fields that are set.
    duration = {"type": "string", "format": "duration"}
    time = {"type": "string", "format": "partial-time"}
    return {
        "type": "object",
        "properties": {
            "deadline": dict(time),
            "from": dict(time),
            "to": dict(time),
            "every": dict(duration),
            "offset": dict(duration),
            "lookback": dict(duration),
            "timezone": {"type": "string"},
            "fireOnce": {"type": "boolean", "default": False},
        },
        "title": "Time window of a Flow trigger",
    }


def depends_on():
    # trigger/Flow.java: one upstream flow the trigger waits for.
    return {
        "type": "object",
        "properties": {
            "namespace": {"type": "string"},
            "flowId": {"type": "string"},
            "states": {"type": "array", "items": {"type": "string", "enum": list(STATES)}},
            "labels": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}},
            "when": {"type": "string", "$dynamic": True, "default": "true"},
        },
        "title": "Upstream flow of a Flow trigger",
    }


def loop(template):
    # Loop.java (2.0-era source). `template` is a 1.3 flowable task: the common task properties.
    common = {
        k: v
        for k, v in template["properties"].items()
        if k not in ("values", "concurrencyLimit", "tasks", "errors", "finally", "type", "id")
    }
    tasks = {"type": "array", "items": ref(TASK_UNION), "$dynamic": False}
    props = {
        "id": copy.deepcopy(template["properties"]["id"]),
        "type": {"const": LOOP},
        "values": {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {}}, {"type": "object"}],
            "$dynamic": True,
        },
        "concurrencyLimit": {"type": "integer", "minimum": 0, "$dynamic": False, "default": 0},
        "transmitFailed": {"type": "boolean", "$dynamic": False, "default": True},
        "outputs": {
            "type": "array",
            "items": ref("io.kestra.core.models.flows.Output"),
            "$dynamic": True,
        },
        "fetchType": {
            "type": "string",
            "enum": ["AUTO", "FETCH", "STORE"],
            "$dynamic": False,
            "default": "AUTO",
        },
        "breakWhen": {"type": "string", "$dynamic": True},
        "tasks": dict(tasks, minItems=1),
        "errors": dict(tasks),
        "finally": dict(tasks),
    }
    props.update(copy.deepcopy(common))
    return {
        "type": "object",
        "properties": props,
        "required": ["id", "type", "values", "tasks"],
        "title": "Run tasks once per value, each iteration a sub-execution",
    }


def open_task(name, template):
    common = {k: copy.deepcopy(v) for k, v in template["properties"].items() if k != "type"}
    props = {"type": {"const": name}}
    props.update(common)
    return {
        "type": "object",
        "properties": props,
        "required": ["id", "type"],
        "additionalProperties": True,
        "title": "Core task of Kestra 2.0 (properties not checked)",
    }


def open_input(type_name, template):
    props = {k: copy.deepcopy(v) for k, v in template["properties"].items() if k != "type"}
    props["type"] = {"const": type_name}
    return {
        "type": "object",
        "properties": props,
        "required": ["id", "type"],
        "additionalProperties": True,
        "title": f"Input: {type_name} (type-specific properties not checked)",
    }


def is_member(defs, union, key):
    return ref(key) in defs[union].get("anyOf", [])


def drop_refs(value, removed):
    """Remove `$ref`s to removed definitions from every union (anyOf/oneOf list)."""
    if isinstance(value, dict):
        for k in ("anyOf", "oneOf"):
            if isinstance(value.get(k), list):
                value[k] = [
                    b for b in value[k]
                    if not (isinstance(b, dict) and b.get("$ref", "")[14:] in removed)
                ]
        for v in value.values():
            drop_refs(v, removed)
    elif isinstance(value, list):
        for v in value:
            drop_refs(v, removed)


def referenced(value, out):
    if isinstance(value, dict):
        r = value.get("$ref")
        if isinstance(r, str) and r.startswith("#/definitions/"):
            out.add(r[len("#/definitions/"):])
        for v in value.values():
            referenced(v, out)
    elif isinstance(value, list):
        for v in value:
            referenced(v, out)


def prune(schema):
    """Drop definitions no longer reachable from the Flow."""
    defs = schema["definitions"]
    # The task-runner union is used by plugin tasks (scripts), not by the Flow itself.
    roots = [schema["$ref"][len("#/definitions/"):], "io.kestra.core.models.tasks.runners.TaskRunner"]
    keep, todo = set(), roots
    while todo:
        key = todo.pop()
        if key in keep or key not in defs:
            continue
        keep.add(key)
        found = set()
        referenced(defs[key], found)
        todo.extend(found - keep)
    for key in list(defs):
        if key not in keep:
            del defs[key]


def derive(schema):
    schema = copy.deepcopy(schema)
    defs = schema["definitions"]
    tasks = [k for k in defs if is_member(defs, TASK_UNION, k)]
    triggers = [k for k in defs if is_member(defs, TRIGGER_UNION, k)]
    inputs = [k for k in defs if is_member(defs, INPUT_UNION, k)]

    # 1. Removed types, and the unions that listed them.
    removed = set(REMOVED_TYPES)
    for key in REMOVED_TYPES:
        defs.pop(key, None)
    drop_refs(defs, removed)
    tasks = [k for k in tasks if k not in removed]
    triggers = [k for k in triggers if k not in removed]
    inputs = [k for k in inputs if k not in removed]

    # 2. The flow: no listeners, plugin defaults or worker group; worker selector, EE keys.
    flow = defs["io.kestra.core.models.flows.Flow"]["properties"]
    for key in REMOVED_FLOW_PROPERTIES:
        flow.pop(key, None)
    flow["workerSelector"] = ref(WORKER_SELECTOR)
    flow["policyRefs"] = {"type": "array", "items": {"type": "string"}}
    flow["draft"] = {"type": "boolean", "default": False}
    flow["quotas"] = {}
    defs[WORKER_SELECTOR] = worker_selector()

    # 3. Every task: workerGroup → workerSelector, EE policyRefs; `when` beside `runIf` (the
    #    2.0 docs rename runIf to when, 2.0-era Task.java still has runIf: both accepted).
    for key in tasks:
        props = defs[key]["properties"]
        if "runIf" not in props:
            continue
        props.pop("workerGroup", None)
        props["workerSelector"] = dict(ref(WORKER_SELECTOR), **{"$dynamic": False})
        props["policyRefs"] = {"type": "array", "items": {"type": "string"}, "$dynamic": False}
        props["when"] = {"type": "string", "$dynamic": True, "default": "true"}

    # 4. Every trigger: no conditions, `when` instead; worker selector, EE policyRefs.
    for key in triggers:
        props = defs[key]["properties"]
        for name in REMOVED_TRIGGER_PROPERTIES:
            props.pop(name, None)
        props["when"] = {"type": "string", "$dynamic": True, "default": "true"}
        props["workerSelector"] = dict(ref(WORKER_SELECTOR), **{"$dynamic": False})
        props["policyRefs"] = {"type": "array", "items": {"type": "string"}, "$dynamic": False}

    # 5. The Flow trigger: dependsOn, window, mode, minSatisfied (preconditions removed below).
    flow_trigger = defs[CORE + "trigger.Flow"]["properties"]
    flow_trigger["dependsOn"] = {"type": "array", "items": ref(DEPENDS_ON), "$dynamic": False}
    flow_trigger["window"] = dict(ref(WINDOW), **{"$dynamic": False})
    flow_trigger["mode"] = {
        "type": "string",
        "enum": ["ALL", "ANY", "AT_LEAST"],
        "$dynamic": False,
        "default": "ALL",
    }
    flow_trigger["minSatisfied"] = {"type": "integer", "minimum": 1, "$dynamic": False}
    defs[DEPENDS_ON] = depends_on()
    defs[WINDOW] = window()

    # 6. Properties removed from single classes.
    for key, names in REMOVED_PROPERTIES.items():
        props = defs[key]["properties"]
        for name in names:
            props.pop(name, None)
        req = defs[key].get("required")
        if req:
            defs[key]["required"] = [r for r in req if r not in names]

    # 7. Exit: `CANCELED` is gone (only `CANCELLED`).
    state = defs[CORE + "execution.Exit"]["properties"]["state"]
    state["enum"] = [s for s in state["enum"] if s != "CANCELED"]

    # 8. Inputs: `id` only (no `name`); new input types, open.
    for key in inputs:
        d = defs[key]
        d["properties"].pop("name", None)
        d.pop("anyOf", None)
        d["required"] = ["id"] + [r for r in d.get("required", []) if r != "id"]
        item_type = d["properties"].get("itemType")
        if item_type and "enum" in item_type:
            item_type["enum"] = [t for t in item_type["enum"] if t not in ("ENUM", "BOOLEAN")]
    template = defs["io.kestra.core.models.flows.input.JsonInput"]
    for type_name in OPEN_INPUTS:
        key = "io.kestra.core.models.flows.input." + OPEN_INPUT_CLASSES[type_name]
        defs[key] = open_input(type_name, template)
        defs[INPUT_UNION]["anyOf"].append(ref(key))

    # 8b. Concurrency `key` (a per-key limit): used by 2.0 flows in the wild, not read in source;
    #     accepted rather than refused.
    conc = defs["io.kestra.core.models.flows.Concurrency"]["properties"]
    conc["key"] = {"type": "string", "$dynamic": True}

    # 9. Checks: `condition` → `when` (the old name still parses, deprecated).
    check = defs["io.kestra.core.models.flows.check.Check"]
    check["properties"]["when"] = {"type": "string", "minLength": 1}
    check["properties"]["condition"]["$deprecated"] = True
    check["required"] = ["message"]
    check["anyOf"] = [{"required": ["when"]}, {"required": ["condition"]}]

    # 10. New tasks: Loop (read), and core tasks whose properties were not read (open).
    sequential = defs[CORE + "flow.Sequential"]
    defs[LOOP] = loop(sequential)
    task_template = defs[CORE + "log.Log"]
    common = {
        k: v for k, v in task_template["properties"].items() if k not in ("message", "level")
    }
    for name in OPEN_TASKS:
        defs[name] = open_task(name, {"properties": common})
    for name in [LOOP] + OPEN_TASKS:
        defs[TASK_UNION]["anyOf"].append(ref(name))
    trigger_common = {
        k: v
        for k, v in defs[CORE + "trigger.Webhook"]["properties"].items()
        if k not in ("key", "wait", "returnOutputs", "responseCode", "responseContentType", "inputs")
    }
    for name in OPEN_TRIGGERS:
        d = open_task(name, {"properties": trigger_common})
        d["title"] = "Core trigger of Kestra 2.0 (properties not checked)"
        defs[name] = d
        defs[TRIGGER_UNION]["anyOf"].append(ref(name))

    # Unions and definitions stay sorted, as in the 1.3 file.
    for union in (TASK_UNION, TRIGGER_UNION, INPUT_UNION):
        defs[union]["anyOf"].sort(key=lambda b: b["$ref"])
    prune(schema)
    schema["definitions"] = dict(sorted(defs.items()))
    schema["x-kestra-lint"] = {
        "kestraVersion": "2.0",
        "source": "the 1.3.19 schema and schemas/derive_core_2_0.py "
        "(2.0 facts: schemas/README.md)",
        "generated": "by script",
    }
    return schema


def render(schema):
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv):
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    text = render(derive(source))
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET.name} is stale: run python3 schemas/derive_core_2_0.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.name}: {len(json.loads(text)['definitions'])} definitions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
