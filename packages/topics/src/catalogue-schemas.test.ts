/** The catalogue against the contract in schemas/: keys must be buildable from the values. */
import { topicCatalogue } from './catalogue';
import { readValueSchemas } from './docs/value-schemas';
import { workspaceRoot } from './docs/workspace-root';
import { KEY_SEPARATOR } from './topic-spec';

it('builds every key from top-level fields of the topic value schema', () => {
  const schemas = readValueSchemas(workspaceRoot(), topicCatalogue);
  const missing = topicCatalogue.flatMap((t) => {
    const fields = new Set(schemas.get(t.valueSchema)!.fields.map((f) => f.name));
    return t.key.forms.flatMap((f) =>
      f.pattern
        .split(KEY_SEPARATOR)
        .filter((part) => !part.startsWith('_') && !fields.has(part))
        .map((part) => `${t.name}: key part ${part} is not a field of schemas/${t.valueSchema}`),
    );
  });
  expect(missing).toEqual([]);
});
