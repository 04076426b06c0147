import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** The part of JSON Schema the parameter forms use (what core's paramsJsonSchema writes). */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

/** A field drawn by the caller instead of the generated input (the SQL editor). */
export type FieldRenderer = (value: unknown, onChange: (value: unknown) => void) => ComponentChildren;

/**
 * A form generated from an object's JSON Schema: a select for an enum, checkboxes for a
 * list of allowed values, a date, number or checkbox input otherwise; defaults filled in.
 * Submits the values as typed JSON; empty optional fields are left out. `fields` draws
 * named fields itself; `onValues` hears every change (as submitted); `children` are more
 * actions beside the submit button, which `submitDisabled` can hold back.
 *
 * @example
 * ```tsx
 * <SchemaForm schema={paramsSchemas.attribution} submitLabel="Run" onSubmit={(params) => start(params)} />
 * ```
 */
export function SchemaForm({
  schema,
  submitLabel,
  onSubmit,
  busy = false,
  submitDisabled = false,
  fields = {},
  onValues,
  children,
}: {
  schema: JsonSchema;
  submitLabel: string;
  onSubmit: (values: Record<string, unknown>) => void;
  busy?: boolean;
  submitDisabled?: boolean;
  fields?: Record<string, FieldRenderer>;
  onValues?: (values: Record<string, unknown>) => void;
  children?: ComponentChildren;
}) {
  const properties = Object.entries(schema.properties ?? {});
  const [values, setValues] = useState<Record<string, unknown>>(() => Object.fromEntries(properties.filter(([, p]) => p.default !== undefined).map(([name, p]) => [name, p.default])));
  const set = (name: string, value: unknown): void => setValues((v) => ({ ...v, [name]: value }));
  useEffect(() => onValues?.(submitted(values)), [values]);
  const submit = (event: Event): void => {
    event.preventDefault();
    onSubmit(submitted(values));
  };
  return (
    <form class="schema-form" onSubmit={submit}>
      {properties.map(([name, property]) => {
        const own = fields[name];
        if (own !== undefined) return <div key={name} data-param={name}>{own(values[name], (value) => set(name, value))}</div>;
        return <Field key={name} name={name} property={property} required={schema.required?.includes(name) ?? false} value={values[name]} onChange={(value) => set(name, value)} />;
      })}
      {properties.length === 0 ? <p class="note">This analysis takes no parameters.</p> : null}
      <p class="actions">
        {children}
        <button type="submit" disabled={busy || submitDisabled}>
          {busy ? 'Running…' : submitLabel}
        </button>
      </p>
    </form>
  );
}

/** The values as they are sent: empty optional fields left out. */
function submitted(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) if (value !== '' && value !== undefined) out[name] = value;
  return out;
}

function Field({ name, property, required, value, onChange }: { name: string; property: JsonSchema; required: boolean; value: unknown; onChange: (value: unknown) => void }) {
  const type = Array.isArray(property.type) ? property.type[0] : property.type;
  const label = (
    <span class="label">
      {name}
      {required ? ' *' : ''}
      {property.description ? <small> — {property.description}</small> : null}
    </span>
  );
  if (type === 'array' && property.items?.enum !== undefined) {
    const chosen = Array.isArray(value) ? (value as string[]) : [];
    return (
      <fieldset data-param={name}>
        <legend>{label}</legend>
        {property.items.enum.map((option) => (
          <label key={String(option)} class="inline">
            <input
              type="checkbox"
              name={name}
              value={String(option)}
              checked={chosen.includes(String(option))}
              onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked ? [...chosen, String(option)] : chosen.filter((c) => c !== option))}
            />
            {String(option)}
          </label>
        ))}
        {property.maxItems !== undefined ? <small>at most {property.maxItems}</small> : null}
      </fieldset>
    );
  }
  if (property.enum !== undefined) {
    return (
      <label data-param={name}>
        {label}
        <select name={name} value={value === undefined ? '' : String(value)} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value || undefined)}>
          {required && value !== undefined ? null : <option value="">—</option>}
          {property.enum.map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </select>
      </label>
    );
  }
  if (type === 'boolean') {
    return (
      <label data-param={name} class="inline">
        <input type="checkbox" name={name} checked={value === true} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)} />
        {label}
      </label>
    );
  }
  if (type === 'integer' || type === 'number') {
    return (
      <label data-param={name}>
        {label}
        <input
          type="number"
          name={name}
          step={type === 'integer' ? 1 : 'any'}
          min={property.minimum}
          max={property.maximum}
          required={required}
          value={value === undefined ? '' : String(value)}
          onInput={(e) => {
            const text = (e.currentTarget as HTMLInputElement).value;
            onChange(text === '' ? undefined : Number(text));
          }}
        />
      </label>
    );
  }
  return (
    <label data-param={name}>
      {label}
      <input type={(property.format === 'date' ? 'date' : 'text') as 'text'} name={name} required={required} value={value === undefined ? '' : String(value)} onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value || undefined)} />
    </label>
  );
}
