// forms.mjs - helpers to answer an application form the way a client would.
import { createHash } from 'node:crypto';

/** Depth-first list of QUESTION blocks. */
export function questions(form) {
  const out = [];
  const walk = (blocks) => { for (const b of blocks) { if (b.block_type === 'SECTION') walk(b.children); else out.push(b); } };
  walk(form);
  return out;
}

export function findQuestion(form, pred) {
  return questions(form).find(typeof pred === 'string' ? (q) => q.label === pred : pred);
}

/** A small valid PDF, base64. */
export const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
export const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

/** A plausible answer for any question (so a whole form can be filled). */
export function plausible(q) {
  const l = q.label.toLowerCase();
  switch (q.question_type) {
    case 'NUMBER': return 5;
    case 'DATE': return '2027-01-15';
    case 'BOOLEAN': return true;
    case 'FILE': return { name: 'resume.pdf', content_type: 'application/pdf', data: PDF_BYTES.toString('base64') };
    case 'SINGLE_SELECT': return q.options[0].id;
    case 'MULTI_SELECT': return [q.options[0].id];
    default: break;
  }
  switch (q.unified_key) {
    case 'EMAIL': return 'ada.lovelace@example.com';
    case 'FIRST_NAME': return 'Ada';
    case 'LAST_NAME': return 'Lovelace';
    case 'FULL_NAME': return 'Ada Lovelace';
    case 'FULL_PHONE_NUMBER': case 'PHONE_NATIONAL_NUMBER': return '+49 30 1234567';
    case 'RESIDENCE_ZIP_CODE': return '10115';
    default: break;
  }
  if (/linkedin|url|github|portfolio|website/.test(l)) return 'https://example.com/ada';
  if (/e-?mail|courriel|correo/.test(l)) return 'ada.lovelace@example.com';
  if (/phone|telefon|téléphone|teléfono/.test(l)) return '+49 30 1234567';
  if (/plz|postal|zip/.test(l)) return '10115';
  return 'Some answer';
}

/** Answers every question (overrides: {label or question_id: answer}, null to skip). */
export function answerAll(form, overrides = {}) {
  const out = [];
  for (const q of questions(form)) {
    let a = plausible(q);
    if (q.question_id in overrides) a = overrides[q.question_id];
    else if (q.label in overrides) a = overrides[q.label];
    if (a === null || a === undefined) continue;
    out.push({ question_id: q.question_id, answer: a });
  }
  return out;
}
