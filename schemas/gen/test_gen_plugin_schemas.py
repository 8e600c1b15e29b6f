"""Unit tests of the plugin schema generator, on small Java sources written for them.

    python3 -m unittest discover -s schemas/gen
"""

import json
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_plugin_schemas as gen  # noqa: E402
import javasrc  # noqa: E402

# A core schema reduced to what the generator reads: the bases and one member of each.
CORE = {
    "$ref": "#/definitions/io.kestra.core.models.flows.Flow",
    "definitions": {
        "io.kestra.core.models.flows.Flow": {"type": "object", "properties": {}},
        "io.kestra.core.models.tasks.Task": {"anyOf": [{"$ref": "#/definitions/core.Log"}]},
        "io.kestra.core.models.triggers.AbstractTrigger": {"anyOf": [{"$ref": "#/definitions/core.Schedule"}]},
        "io.kestra.core.models.conditions.Condition": {"anyOf": [{"$ref": "#/definitions/core.Expr"}]},
        "io.kestra.core.models.tasks.runners.TaskRunner": {"anyOf": [{"$ref": "#/definitions/io.kestra.plugin.core.runner.Process"}]},
        "io.kestra.core.models.tasks.retrys.AbstractRetry": {"type": "object", "title": "words"},
        "core.Log": {"type": "object", "properties": {
            "id": {"type": "string"}, "type": {"const": "core.Log"},
            "retry": {"$ref": "#/definitions/io.kestra.core.models.tasks.retrys.AbstractRetry"},
            "message": {"type": "string"}}, "required": ["id", "type", "message"]},
        "core.Schedule": {"type": "object", "properties": {"id": {"type": "string"}, "type": {"const": "core.Schedule"}}},
        "core.Expr": {"type": "object", "properties": {"type": {"const": "core.Expr"}}},
        "io.kestra.plugin.core.runner.Process": {"type": "object", "properties": {"type": {"const": "io.kestra.plugin.core.runner.Process"}}},
    },
}

SOURCES = {
    # Inheritance across files and packages; a required property; a shared nested class.
    "plugin-demo/src/main/java/io/kestra/plugin/demo/AbstractDemo.java": """
        package io.kestra.plugin.demo;

        import io.kestra.core.models.property.Property;
        import io.kestra.core.models.tasks.Task;
        import jakarta.validation.constraints.NotNull;

        @SuperBuilder
        public abstract class AbstractDemo extends Task {
            /** A comment with a brace { that must not confuse the reader. */
            @NotNull
            protected Property<String> url;

            protected static final String CONSTANT = "not a property";

            public abstract String helper();

            @Builder.Default
            @NotNull
            private Property<Integer> port = Property.ofValue(5432);
        }
        """,
    "plugin-demo/src/main/java/io/kestra/plugin/demo/query/Query.java": """
        package io.kestra.plugin.demo.query;

        import com.fasterxml.jackson.annotation.JsonAlias;
        import io.kestra.core.models.annotations.Plugin;
        import io.kestra.core.models.annotations.PluginProperty;
        import io.kestra.core.models.property.Property;
        import io.kestra.core.models.tasks.RunnableTask;
        import io.kestra.plugin.demo.AbstractDemo;
        import java.util.List;
        import java.util.Map;

        @Plugin(aliases = "io.kestra.plugin.demo.OldQuery", examples = {@Example(code = \"\"\"
            id: x
            tasks: [{ a: "}" }]
            \"\"\")})
        public class Query extends AbstractDemo implements RunnableTask<Query.Output> {
            @NotBlank
            private Property<String> sql;

            private Property<List<String>> tags;

            private Property<List<Integer>> ids;

            private Property<Map<String, Object>> parameters;

            @Builder.Default
            private Property<Mode> mode = Property.ofValue(Mode.FAST);

            @Builder.Default
            private Boolean verbose = true;

            @Deprecated
            private String legacy;

            @PluginProperty(dynamic = true)
            private String rendered;

            @JsonAlias({"fetch_size"})
            private Integer fetchSize;

            @Valid
            private Options options;

            private Property<List<Entry>> entries;

            // Bean Validation enters a nested object only through @Valid.
            private Target moveTo;

            private List<@Valid Target2> targets;

            @Valid
            private Shared shared;

            private Shared sharedAgain;

            @Getter
            public static class Target {
                @NotNull
                private String bucket;
            }

            @Getter
            public static class Target2 {
                @NotNull
                private String bucket;
                private Target inner;
            }

            @Getter
            public static class Shared {
                @NotNull
                private String key;
            }

            @Getter
            public static class Entry {
                @NotNull
                private String key;
            }

            private Duration timeout2 = Duration.ofSeconds(30);

            public enum Mode { FAST, SLOW }

            @Builder
            @Getter
            public static class Options {
                @NotNull
                private String name;
                private List<@Valid Options> children;
            }

            @Override
            public Query.Output run(RunContext runContext) throws Exception {
                return Output.builder().uri(null).build();
            }

            @Builder
            @Getter
            public static class Output implements io.kestra.core.models.tasks.Output {
                private final java.net.URI uri;
                private final Long size;
                @JsonIgnore
                private final int internal;
            }
        }
        """,
    # A class whose parent is in no checkout: open, and counted.
    "plugin-demo/src/main/java/io/kestra/plugin/demo/Lost.java": """
        package io.kestra.plugin.demo;

        import io.kestra.core.models.annotations.Plugin;
        import io.kestra.core.models.tasks.RunnableTask;
        import com.example.elsewhere.AbstractSomething;

        @Plugin
        @Deprecated
        public class Lost extends AbstractSomething implements RunnableTask<VoidOutput> {
            private String known;
        }
        """,
    # A trigger.
    "plugin-demo/src/main/java/io/kestra/plugin/demo/Trigger.java": """
        package io.kestra.plugin.demo;

        import io.kestra.core.models.triggers.AbstractTrigger;
        import io.kestra.core.models.triggers.PollingTriggerInterface;

        public class Trigger extends AbstractTrigger implements PollingTriggerInterface {
            @Builder.Default
            private final Duration interval = Duration.ofSeconds(60);
        }
        """,
}


class GeneratorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        root = Path(cls.tmp.name)
        src = root / "src"
        for rel, text in SOURCES.items():
            path = src / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        (src / "plugin-demo" / ".source.json").write_text(
            json.dumps({"repo": "kestra-io/plugin-demo", "commit": "abc123", "date": "2026-01-01"}))
        core = root / "core.json"
        core.write_text(json.dumps(CORE))
        out = root / "out"
        cls.manifest = gen.generate(src, out, core, out / "files.rs")
        cls.doc = json.loads((out / "demo.json").read_text())
        cls.defs = cls.doc["definitions"]
        cls.rs = (out / "files.rs").read_text()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def query(self):
        return self.defs["io.kestra.plugin.demo.query.Query"]

    def test_inheritance_across_files_and_the_base_properties(self):
        props = self.query()["properties"]
        self.assertEqual(props["url"], {"type": "string", "$dynamic": True})
        self.assertEqual(props["type"], {"const": "io.kestra.plugin.demo.query.Query"})
        # The base's common properties come from the core schema, without prose.
        self.assertIn("message", props)
        self.assertNotIn("CONSTANT", props)
        self.assertEqual(self.defs["io.kestra.core.models.tasks.retrys.AbstractRetry"], {"type": "object"})

    def test_required_unless_defaulted(self):
        required = self.query()["required"]
        self.assertIn("url", required)
        self.assertIn("sql", required)
        self.assertNotIn("port", required)
        self.assertEqual(self.query()["properties"]["port"]["default"], 5432)

    def test_property_lists_maps_and_enums(self):
        props = self.query()["properties"]
        self.assertEqual(props["tags"], {"type": "array", "items": {"type": "string"}, "$dynamic": True})
        self.assertEqual(props["ids"]["items"]["anyOf"][0], {"type": "integer"})
        self.assertIn("{{", props["ids"]["items"]["anyOf"][1]["pattern"])
        self.assertEqual(props["parameters"], {"type": "object", "$dynamic": True})
        self.assertEqual(props["mode"], {"type": "string", "enum": ["FAST", "SLOW"], "$dynamic": True, "default": "FAST"})
        self.assertEqual(props["timeout2"]["default"], "PT30S")

    def test_builder_default_deprecated_dynamic_and_alias(self):
        props = self.query()["properties"]
        self.assertEqual(props["verbose"], {"type": "boolean", "default": True})
        self.assertEqual(props["legacy"], {"type": "string", "$deprecated": True})
        self.assertEqual(props["rendered"], {"type": "string", "$dynamic": True})
        self.assertEqual(props["fetch_size"], props["fetchSize"])

    def test_nested_builder_classes(self):
        props = self.query()["properties"]
        self.assertEqual(props["options"], {"$ref": "#/definitions/io.kestra.plugin.demo.query.Query$Options"})
        options = self.defs["io.kestra.plugin.demo.query.Query$Options"]
        self.assertEqual(options["required"], ["name"])
        self.assertEqual(options["properties"]["children"]["items"],
                         {"$ref": "#/definitions/io.kestra.plugin.demo.query.Query$Options"})

    def test_required_kept_only_where_validation_cascades(self):
        d = self.defs
        # Reached without @Valid: Kestra's save does not check it.
        self.assertNotIn("required", d["io.kestra.plugin.demo.query.Query$Target"])
        # A container element `List<@Valid X>` cascades.
        self.assertEqual(d["io.kestra.plugin.demo.query.Query$Target2"]["required"], ["bucket"])
        # One definition per class: reached once with and once without @Valid, lenient.
        self.assertNotIn("required", d["io.kestra.plugin.demo.query.Query$Shared"])
        # Plugins keep theirs (Kestra's task lists are @Valid).
        self.assertIn("sql", self.query()["required"])

    def test_type_use_annotations_are_read(self):
        unit = javasrc.parse("class A { private List<@Valid B> bs; private @Valid C c; }")
        bs, c = unit.types[0].fields
        self.assertEqual(bs.type.args[0].annotations, ["Valid"])
        self.assertTrue(gen.cascades(bs.type))
        self.assertTrue(gen.cascades(c.type) or any(a.simple == "Valid" for a in c.annotations))

    def test_objects_read_from_a_property_are_lenient(self):
        # Rendered values are converted by a mapper that ignores unknown keys.
        entry = self.defs["io.kestra.plugin.demo.query.Query$Entry"]
        self.assertIs(entry["additionalProperties"], True)
        self.assertNotIn("required", entry)
        self.assertNotIn("additionalProperties", self.defs["io.kestra.plugin.demo.query.Query$Options"])

    def test_outputs(self):
        self.assertEqual(sorted(self.query()["$outputs"]), ["size", "uri"])
        self.assertNotIn("$outputs", self.defs["io.kestra.plugin.demo.Trigger"])

    def test_unresolvable_parent_is_open_and_counted(self):
        lost = self.defs["io.kestra.plugin.demo.Lost"]
        self.assertIs(lost["additionalProperties"], True)
        self.assertEqual(lost["$deprecated"], "true")
        self.assertIn("known", lost["properties"])
        demo = self.manifest["plugins"]["demo"]
        self.assertEqual(len(demo["open"]), 1)
        self.assertIn("com.example.elsewhere.AbstractSomething", demo["open"][0])

    def test_manifest_unions_and_embedding_table(self):
        demo = self.manifest["plugins"]["demo"]
        self.assertEqual(demo["commit"], "abc123")
        self.assertEqual(demo["types"]["trigger"], ["io.kestra.plugin.demo.Trigger"])
        self.assertIn("io.kestra.plugin.demo.query.Query", demo["types"]["task"])
        self.assertEqual(demo["aliases"], {"io.kestra.plugin.demo.OldQuery": "io.kestra.plugin.demo.query.Query"})
        task_union = self.defs["io.kestra.core.models.tasks.Task"]
        self.assertTrue(task_union[gen.UNION_MARK])
        self.assertIn({"$ref": "#/definitions/io.kestra.plugin.demo.query.Query"}, task_union["anyOf"])
        self.assertEqual(self.defs["io.kestra.plugin.demo.Trigger"]["properties"]["interval"]["default"], "PT60S")
        self.assertIn('("demo", include_str!("../../schemas/plugins/demo.json"))', self.rs)
        # No prose anywhere.
        self.assertNotIn("title", json.dumps(self.doc))


class JavaReaderTest(unittest.TestCase):
    def test_text_blocks_comments_and_generics(self):
        unit = javasrc.parse(textwrap.dedent('''
            package a.b;
            import java.util.*;
            // class Fake {
            public class Outer<T extends Comparable<T>> extends Base<Map<String, List<T>>> {
                String s = """
                    } { "
                    """;
                Map<String, List<Integer>> m;
                int[] xs, ys;
                static class Inner { }
                enum E { A("x") { void f() {} }, B; E(String s) {} }
            }
            '''))
        outer = unit.types[0]
        self.assertEqual(outer.type_params, ["T"])
        self.assertEqual(str(outer.extends[0]), "Base<Map<String, List<T>>>")
        self.assertEqual([f.name for f in outer.fields], ["s", "m", "xs", "ys"])
        self.assertEqual(str(outer.fields[1].type), "Map<String, List<Integer>>")
        self.assertEqual(outer.fields[2].type.dims, 1)
        self.assertEqual([n.binary for n in outer.nested], ["a.b.Outer$Inner", "a.b.Outer$E"])
        self.assertEqual(outer.nested[1].constants, ["A", "B"])


if __name__ == "__main__":
    unittest.main()
