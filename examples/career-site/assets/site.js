// assets/site.js: progressive enhancement for the sample career site (examples/career-site).
// Shows a field wrapper marked data-show-if="NAME=VALUE" only while the form control NAME of
// the same form has VALUE (checked radio/checkbox, or the value of any other control).
// The HTML works without it: a form extractor sees every field and the condition attribute.
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  const conditional = document.querySelectorAll('[data-show-if]');
  if (conditional.length === 0) return;

  // Returns the current values of control `name` in `form` (several for checkbox groups).
  function currentValues(form, name) {
    const values = [];
    for (const el of form.elements) {
      if (el.name !== name) continue;
      if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) continue;
      values.push(el.value);
    }
    return values;
  }

  function update() {
    for (const wrapper of conditional) {
      const form = wrapper.closest('form');
      if (!form) continue;
      const spec = wrapper.getAttribute('data-show-if');
      const eq = spec.indexOf('=');
      if (eq < 0) continue;
      const show = currentValues(form, spec.slice(0, eq)).includes(spec.slice(eq + 1));
      wrapper.hidden = !show;
      // Hidden inputs are not submitted: disable them so they are left out of the body.
      for (const el of wrapper.querySelectorAll('input, select, textarea')) el.disabled = !show;
    }
  }

  document.addEventListener('change', update);
  update();
});
