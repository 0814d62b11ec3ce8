// form-preview.js - a parsed application form (POST .../inquire's application_form) drawn as
// the candidate would see it: sections, questions with their controls, options, required
// marks, help text, conditions. Labels and options come from career sites: text only.
import { h, uid } from './dom.js';

const TYPE_NAMES = {
  TEXT: 'text', NUMBER: 'number', BOOLEAN: 'yes/no', FILE: 'file', DATE: 'date',
  SINGLE_SELECT: 'one choice', MULTI_SELECT: 'several choices',
};

/** Every question by id (for display_when, which names another question and option). */
function index(blocks, out = new Map()) {
  for (const b of blocks || []) {
    if (b.block_type === 'SECTION') index(b.children, out);
    else out.set(b.question_id, b);
  }
  return out;
}

function requiredMark(q) {
  if (!q.required) return null;
  return [h('span', { class: 'req', 'aria-hidden': 'true' }, ' *'), h('span', { class: 'visually-hidden' }, ' (required)')];
}

function control(q, id, describedBy) {
  const common = { id, name: q.question_id, required: q.required, 'aria-describedby': describedBy };
  switch (q.question_type) {
    case 'NUMBER': return h('input', { ...common, type: 'number' });
    case 'DATE': return h('input', { ...common, type: 'date' });
    case 'FILE': return h('input', { ...common, type: 'file' });
    case 'SINGLE_SELECT':
      return h('select', common, h('option', { value: '' }, 'Please select'),
        (q.options || []).map((o) => h('option', { value: o.id }, o.label)));
    default: return h('input', { ...common, type: 'text' });
  }
}

function condition(q, byId) {
  const dw = q.display_when;
  if (!dw) return null;
  const other = byId.get(dw.question_id);
  const opt = other?.options?.find((o) => o.id === dw.answer_equals);
  return h('p', { class: 'hint' }, 'Shown only when “', other ? other.label : dw.question_id, '” is “',
    opt ? opt.label : String(dw.answer_equals), '”.');
}

function meta(q) {
  const bits = [TYPE_NAMES[q.question_type] || q.question_type];
  if (q.unified_key) bits.push(q.unified_key);
  if (q.category) bits.push(q.category);
  return h('span', { class: 'qmeta' }, bits.join(' · '));
}

function question(q, byId) {
  const id = uid('q');
  const helpId = q.description ? uid('help') : null;
  const help = q.description ? h('p', { class: 'hint', id: helpId }, q.description) : null;
  let body;
  if (q.question_type === 'BOOLEAN') {
    body = h('label', { class: 'check' }, h('input', { type: 'checkbox', id, required: q.required, 'aria-describedby': helpId }), ' ', q.label, requiredMark(q));
  } else if (q.question_type === 'MULTI_SELECT') {
    body = h('fieldset', { class: 'choices', 'aria-describedby': helpId },
      h('legend', null, q.label, requiredMark(q)),
      (q.options || []).map((o) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: q.question_id, value: o.id }), ' ', o.label)));
  } else {
    body = [h('label', { for: id }, q.label, requiredMark(q)), control(q, id, helpId)];
  }
  return h('div', { class: 'question', 'data-question-id': q.question_id }, body, help, condition(q, byId), meta(q));
}

function blocks(list, byId) {
  return (list || []).map((b) => (b.block_type === 'SECTION'
    ? h('fieldset', { class: 'section' }, h('legend', null, b.label), b.description ? h('p', { class: 'hint' }, b.description) : null, blocks(b.children, byId))
    : question(b, byId)));
}

/** The whole form; a preview only (it is not a <form>: nothing can be submitted from it). */
export function formPreview(form) {
  const byId = index(form);
  return h('div', { class: 'form-preview', role: 'group', 'aria-label': 'Application form as candidates see it' },
    form && form.length ? blocks(form, byId) : h('p', { class: 'empty' }, 'The form has no questions.'));
}
