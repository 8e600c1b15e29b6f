use super::*;

/// `definition_for_type` skips the const scan for class names in the embedded schemas: it
/// relies on each of them keying a class by its `type` const.
#[test]
fn embedded_schemas_key_every_class_by_its_type() {
    let mut texts: Vec<(&str, &str)> = vec![("core 1.3", EMBEDDED_1_3), ("core 2.0", EMBEDDED_2_0)];
    texts.extend(plugin_files::FILES.iter().copied());
    for (name, text) in texts {
        let schema = Schema::from_text(text, Origin::Embedded).unwrap();
        for i in 0..schema.definition_count() {
            if let Some(c) = schema.type_const(i).filter(|c| c.contains('.')) {
                assert_eq!(
                    c,
                    schema.key(i),
                    "{name}: definition keyed otherwise than its type"
                );
            }
        }
    }
}
