//! The schemas a run validates against, as layers asked in order "which definition for
//! type T": `--schema`/config schema or the pinned server schema, then the embedded core
//! schema, then the embedded plugin schemas (one document per plugin repository, indexed only
//! when one of its types is asked for). A store is owned (`Arc`s, no leaks) and can be
//! rebuilt at will.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use super::plugin_files::{CORE_OUTPUTS, FILES, MANIFEST};
use super::{Origin, Schema};
use crate::config::Target;

/// Where a layer comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerKind {
    /// `--schema` or the config's `schema`.
    Explicit,
    /// `.kestra/flow-schema.json`, written by `schema pull`.
    Pinned,
    /// The embedded core schema.
    Core,
}

#[derive(Debug)]
pub struct Layer {
    pub kind: LayerKind,
    pub schema: Arc<Schema>,
}

/// The embedded plugin schemas: a type → plugin table from the manifest, and each plugin's
/// document parsed into a [`Schema`] on first use.
pub struct PluginLayer {
    plugins: Vec<PluginEntry>,
    by_type: HashMap<String, usize>,
    aliases: HashMap<String, String>,
}

pub struct PluginEntry {
    pub name: String,
    pub repository: String,
    pub commit: String,
    pub commit_date: String,
    /// Types by kind (`task`, `trigger`, `condition`, `taskRunner`, `other`).
    pub types: Vec<(String, usize)>,
    pub open: usize,
    text: &'static str,
    schema: OnceLock<Option<Arc<Schema>>>,
}

#[derive(Deserialize)]
struct Manifest {
    plugins: HashMap<String, ManifestPlugin>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ManifestPlugin {
    repository: String,
    commit: String,
    commit_date: String,
    types: HashMap<String, Vec<String>>,
    #[serde(default)]
    aliases: HashMap<String, String>,
    #[serde(default)]
    open: Vec<String>,
}

impl PluginLayer {
    fn embedded() -> Arc<PluginLayer> {
        static LAYER: OnceLock<Arc<PluginLayer>> = OnceLock::new();
        LAYER
            .get_or_init(|| Arc::new(PluginLayer::from_manifest(MANIFEST, FILES)))
            .clone()
    }

    fn from_manifest(manifest: &str, files: &[(&str, &'static str)]) -> PluginLayer {
        let manifest: Manifest =
            serde_json::from_str(manifest).expect("the plugin manifest is valid");
        let mut plugins = Vec::new();
        let mut by_type = HashMap::new();
        let mut aliases = HashMap::new();
        for (name, text) in files {
            let Some(m) = manifest.plugins.get(*name) else {
                continue;
            };
            let i = plugins.len();
            let mut types: Vec<(String, usize)> =
                m.types.iter().map(|(k, v)| (k.clone(), v.len())).collect();
            types.sort();
            for t in m.types.values().flatten() {
                by_type.entry(t.clone()).or_insert(i);
            }
            for (alias, canonical) in &m.aliases {
                aliases
                    .entry(alias.clone())
                    .or_insert_with(|| canonical.clone());
            }
            plugins.push(PluginEntry {
                name: name.to_string(),
                repository: m.repository.clone(),
                commit: m.commit.clone(),
                commit_date: m.commit_date.clone(),
                types,
                open: m.open.len(),
                text,
                schema: OnceLock::new(),
            });
        }
        PluginLayer {
            plugins,
            by_type,
            aliases,
        }
    }

    pub fn plugins(&self) -> &[PluginEntry] {
        &self.plugins
    }

    /// The plugin document that describes `name`, parsed on first use.
    fn schema_for(&self, name: &str) -> Option<&Arc<Schema>> {
        let &i = self.by_type.get(name)?;
        self.plugin_schema(i)
    }

    fn plugin_schema(&self, i: usize) -> Option<&Arc<Schema>> {
        let p = &self.plugins[i];
        p.schema
            .get_or_init(|| {
                Schema::from_text(p.text, Origin::Plugin(p.name.clone()))
                    .ok()
                    .map(Arc::new)
            })
            .as_ref()
    }
}

fn core_outputs() -> &'static HashMap<String, Vec<String>> {
    static TABLE: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    TABLE.get_or_init(|| serde_json::from_str(CORE_OUTPUTS).expect("the core outputs are valid"))
}

/// The layers of one run.
pub struct SchemaStore {
    layers: Vec<Layer>,
    plugins: Option<Arc<PluginLayer>>,
}

impl std::fmt::Debug for SchemaStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaStore")
            .field("layers", &self.layers)
            .field("plugins", &self.plugins.as_ref().map(|p| p.plugins.len()))
            .finish()
    }
}

impl SchemaStore {
    /// The embedded core schema of the default target (Kestra 2.0) and the embedded plugins.
    pub fn embedded() -> Arc<SchemaStore> {
        SchemaStore::embedded_for(Target::DEFAULT)
    }

    /// The embedded core schema of a release line and the embedded plugins (shared, built
    /// once per process).
    pub fn embedded_for(target: Target) -> Arc<SchemaStore> {
        static V1: OnceLock<Arc<SchemaStore>> = OnceLock::new();
        static V2: OnceLock<Arc<SchemaStore>> = OnceLock::new();
        let cell = match target {
            Target::V1 => &V1,
            Target::V2 => &V2,
        };
        cell.get_or_init(|| {
            Arc::new(SchemaStore {
                layers: vec![Layer {
                    kind: LayerKind::Core,
                    schema: Schema::embedded_arc(target),
                }],
                plugins: Some(PluginLayer::embedded()),
            })
        })
        .clone()
    }

    /// The embedded core schema alone (no plugin layer), for tests and comparisons.
    pub fn core_only() -> SchemaStore {
        SchemaStore {
            layers: vec![Layer {
                kind: LayerKind::Core,
                schema: Schema::embedded_arc(Target::DEFAULT),
            }],
            plugins: None,
        }
    }

    /// A schema file on top of the embedded layers of `target`.
    pub fn with_file(path: &Path, kind: LayerKind, target: Target) -> Result<SchemaStore, String> {
        let schema = Schema::from_file(path)?;
        Ok(SchemaStore::with_schema(schema, kind, target))
    }

    pub fn with_schema(schema: Schema, kind: LayerKind, target: Target) -> SchemaStore {
        SchemaStore {
            layers: vec![
                Layer {
                    kind,
                    schema: Arc::new(schema),
                },
                Layer {
                    kind: LayerKind::Core,
                    schema: Schema::embedded_arc(target),
                },
            ],
            plugins: Some(PluginLayer::embedded()),
        }
    }

    /// The same layers with the embedded core schema of `target` (a nested config's own
    /// `target-version`).
    pub fn for_target(&self, target: Target) -> Arc<SchemaStore> {
        if self.layers.iter().all(|l| l.kind == LayerKind::Core) {
            return SchemaStore::embedded_for(target);
        }
        Arc::new(SchemaStore {
            layers: self
                .layers
                .iter()
                .map(|l| Layer {
                    kind: l.kind,
                    schema: if l.kind == LayerKind::Core {
                        Schema::embedded_arc(target)
                    } else {
                        l.schema.clone()
                    },
                })
                .collect(),
            plugins: self.plugins.clone(),
        })
    }

    /// The first layer: its Flow definition validates the flow itself.
    pub fn primary(&self) -> &Schema {
        &self.layers[0].schema
    }

    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    pub fn plugin_layer(&self) -> Option<&PluginLayer> {
        self.plugins.as_deref()
    }

    /// Every (schema, definition) describing `name`, in layer order.
    pub fn candidates(&self, name: &str) -> Vec<(&Schema, usize)> {
        let mut out: Vec<(&Schema, usize)> = self
            .layers
            .iter()
            .filter_map(|l| Some((&*l.schema, l.schema.definition_for_type(name)?)))
            .collect();
        if let Some(schema) = self.plugins.as_ref().and_then(|p| p.schema_for(name)) {
            if let Some(i) = schema.definition_for_type(name) {
                out.push((schema, i));
            }
        }
        out
    }

    /// The first definition for `name` (or the alias it is).
    pub fn lookup(&self, name: &str) -> Option<(&Schema, usize)> {
        let canonical = self.canonical_alias(name).unwrap_or(name);
        self.candidates(canonical)
            .into_iter()
            .next()
            .or_else(|| self.candidates(name).into_iter().next())
    }

    /// The canonical type for an alias (core aliases, then plugin aliases).
    pub fn canonical_alias(&self, name: &str) -> Option<&str> {
        self.primary().canonical_alias(name).or_else(|| {
            self.plugins
                .as_ref()
                .and_then(|p| p.aliases.get(name))
                .map(String::as_str)
        })
    }

    /// The output names of a task type, when they are known: `$outputs` in its definition,
    /// else the table of core task outputs. `None` when unknown (or open).
    pub fn outputs(&self, name: &str) -> Option<Vec<String>> {
        let canonical = self.canonical_alias(name).unwrap_or(name);
        let (schema, i) = self.lookup(name)?;
        if let Some(outputs) = schema
            .definition(i)
            .and_then(|d| d.get("$outputs"))
            .and_then(|o| o.as_object())
        {
            return Some(outputs.keys().cloned().collect());
        }
        core_outputs().get(canonical).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_plugin_document_loads_and_knows_its_types() {
        let layer = PluginLayer::embedded();
        assert!(layer.plugins().len() > 50);
        for (i, p) in layer.plugins().iter().enumerate() {
            let schema = layer
                .plugin_schema(i)
                .unwrap_or_else(|| panic!("plugin {} does not load", p.name));
            let Some((name, _)) = layer.by_type.iter().find(|(_, &j)| j == i) else {
                continue;
            };
            assert!(
                schema.definition_for_type(name).is_some(),
                "{} lists {name} but does not describe it",
                p.name
            );
        }
    }

    #[test]
    fn layers_answer_in_order() {
        let store = SchemaStore::embedded();
        let (schema, _) = store.lookup("io.kestra.plugin.core.log.Log").unwrap();
        assert!(schema.is_embedded());
        let (schema, _) = store
            .lookup("io.kestra.plugin.scripts.python.Script")
            .unwrap();
        assert_eq!(schema.origin, Origin::Plugin("scripts".into()));
        assert!(store.lookup("io.kestra.plugin.nope.Nothing").is_none());
        assert!(SchemaStore::core_only()
            .lookup("io.kestra.plugin.scripts.python.Script")
            .is_none());
    }

    #[test]
    fn outputs_of_core_and_plugin_tasks() {
        let store = SchemaStore::embedded();
        assert_eq!(store.outputs("io.kestra.plugin.core.log.Log"), Some(vec![]));
        assert_eq!(store.outputs("io.kestra.core.tasks.log.Log"), Some(vec![]));
        assert_eq!(
            store.outputs("io.kestra.plugin.core.debug.Return"),
            Some(vec!["value".to_string()])
        );
        let query = store
            .outputs("io.kestra.plugin.jdbc.postgresql.Query")
            .unwrap();
        assert!(query.contains(&"rows".to_string()) && query.contains(&"uri".to_string()));
        // Script outputs are Kestra's own class, read from older sources: not trusted.
        assert_eq!(
            store.outputs("io.kestra.plugin.scripts.python.Script"),
            None
        );
        assert_eq!(store.outputs("com.example.Nothing"), None);
    }
}
