// schema.mjs - validates bodies against Kombo's OpenAPI document (OpenAPI 3.1 = JSON Schema
// 2020-12) with ajv. Every response body the tests see goes through one of these.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

const SPEC_PATHS = [join(ROOT, 'docs/spec/kombo-ai-apply-openapi.json')];
let spec;
for (const p of SPEC_PATHS) { try { spec = JSON.parse(readFileSync(p, 'utf8')); break; } catch { /* next */ } }
if (!spec) throw new Error(`OpenAPI document not found in ${SPEC_PATHS.join(' or ')}`);
export { spec };

// The extract declares some fields nullable (`type: [string, null]`, or OpenAPI 3.0's
// `nullable: true` in the webhook schemas) with an `enum` that does not list null
// (archived_reason, category, unified_key, error.code), while Kombo's own examples carry null
// there. Read such a field as allowing null, as its declaration says.
function allowNullInNullableEnums(o) {
  if (Array.isArray(o)) { o.forEach(allowNullInNullableEnums); return; }
  if (!o || typeof o !== 'object') return;
  if (o.nullable === true && typeof o.type === 'string') { o.type = [o.type, 'null']; delete o.nullable; }
  if (Array.isArray(o.type) && o.type.includes('null') && Array.isArray(o.enum) && !o.enum.includes(null)) o.enum.push(null);
  for (const v of Object.values(o)) allowNullInNullableEnums(v);
}
allowNullInNullableEnums(spec.components);

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
ajv.addFormat('double', true);
ajv.addFormat('int64', true);
ajv.addSchema({ $id: 'oa', components: spec.components }, 'oa');

const cache = new Map();
function compiled(ref) {
  if (!cache.has(ref)) cache.set(ref, ajv.compile({ $ref: `oa#/components/${ref}` }));
  return cache.get(ref);
}

/** Throws with ajv's errors when body does not fit components/schemas/<name>. */
export function assertSchema(name, body) {
  const v = compiled(`schemas/${name}`);
  if (!v(body)) throw new Error(`body does not match ${name}: ${ajv.errorsText(v.errors)}\n${JSON.stringify(body).slice(0, 2000)}`);
}

/** Throws unless body is Kombo's error shape. */
export function assertError(body) {
  const v = compiled('responses/ErrorResponseAiApply/content/application~1json/schema');
  if (!v(body)) throw new Error(`body is not Kombo's error shape: ${ajv.errorsText(v.errors)}\n${JSON.stringify(body)}`);
}
