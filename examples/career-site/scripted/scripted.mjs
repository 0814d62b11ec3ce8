// scripted.mjs - career pages whose application form only exists after their scripts run:
// what the engine's browser driver must render. Served under /scripted/:
//
//   /scripted/built     an empty shell; app.js fetches form.json and builds the form
//   /scripted/dialogs   alert(), confirm() and prompt() before the form is built
//   /scripted/busy      builds the form, then keeps a request open for minutes (never idle)
//   /scripted/probe     builds the form and tries to reach ?canary=URL every way a page can:
//                       fetch(), an image, a stylesheet, an iframe, a redirecting iframe,
//                       sendBeacon, a WebSocket, a popup, a worker, and starts a download
//   /scripted/hog       allocates memory until the renderer dies
//   /scripted/reload    reloads itself every 100 ms; never shows a form
//   /scripted/captcha   "complete the CAPTCHA" and no form, ever
//
// Nothing here depends on the rest of the sample site.

const FORM = {
  title: 'Platform Engineer (TypeScript)',
  action: '/scripted/built/apply',
  fields: [
    { name: 'first_name', label: 'First name', type: 'text', required: true },
    { name: 'last_name', label: 'Last name', type: 'text', required: true },
    { name: 'email', label: 'Email', type: 'email', required: true },
    { name: 'phone', label: 'Phone', type: 'tel', required: false },
    { name: 'resume', label: 'Resume', type: 'file', required: true },
    { name: 'country', label: 'Country of residence', type: 'select', required: true, options: ['Germany', 'France', 'Spain', 'Other'] },
    { name: 'work_permit', label: 'Are you authorized to work in the EU?', type: 'radio', required: true, options: ['Yes', 'No'] },
    { name: 'privacy', label: 'I accept the privacy policy', type: 'checkbox', required: true },
  ],
};

const APP_JS = `
(async () => {
  const cfg = await (await fetch('/scripted/built/form.json')).json();
  await new Promise((r) => setTimeout(r, 150));
  const app = document.getElementById('app');
  const form = document.createElement('form');
  form.method = 'post';
  form.action = cfg.action;
  form.enctype = 'multipart/form-data';
  const h = document.createElement('h2');
  h.textContent = 'Apply for ' + cfg.title;
  form.append(h);
  for (const f of cfg.fields) {
    const row = document.createElement('div');
    const id = 'f_' + f.name;
    if (f.type === 'radio') {
      const fs = document.createElement('fieldset');
      const lg = document.createElement('legend');
      lg.textContent = f.label + (f.required ? ' *' : '');
      fs.append(lg);
      for (const o of f.options) {
        const l = document.createElement('label');
        const i = document.createElement('input');
        i.type = 'radio'; i.name = f.name; i.value = o.toLowerCase(); i.required = f.required;
        l.append(i, ' ' + o);
        fs.append(l);
      }
      row.append(fs);
    } else {
      const l = document.createElement('label');
      l.htmlFor = id;
      l.textContent = f.label + (f.required ? ' *' : '');
      let c;
      if (f.type === 'select') {
        c = document.createElement('select');
        const ph = document.createElement('option');
        ph.value = ''; ph.textContent = 'Please choose';
        c.append(ph);
        for (const o of f.options) {
          const op = document.createElement('option');
          op.value = o.toLowerCase(); op.textContent = o;
          c.append(op);
        }
      } else {
        c = document.createElement('input');
        c.type = f.type;
      }
      c.id = id; c.name = f.name; c.required = f.required;
      if (f.type === 'checkbox') row.append(c, l); else row.append(l, c);
    }
    form.append(row);
  }
  const b = document.createElement('button');
  b.type = 'submit'; b.textContent = 'Submit application';
  form.append(b);
  app.replaceChildren(form);
  window.dispatchEvent(new Event('form-built'));
})();
`;

const EXTRA_JS = {
  dialogs: `alert('Welcome!'); confirm('Accept cookies?'); prompt('Your name?');`,
  busy: `window.addEventListener('form-built', () => { fetch('/scripted/hang').catch(() => {}); });`,
  probe: `
    const canary = new URLSearchParams(location.search).get('canary');
    if (canary) {
      fetch(canary + '/fetch').catch(() => {});
      fetch(canary + '/fetch-no-cors', { mode: 'no-cors' }).catch(() => {});
      const img = new Image(); img.src = canary + '/img';
      const css = document.createElement('link'); css.rel = 'stylesheet'; css.href = canary + '/css'; document.head.append(css);
      const fr = document.createElement('iframe'); fr.src = canary + '/iframe'; document.body.append(fr);
      const fr2 = document.createElement('iframe'); fr2.src = '/scripted/redirect?to=' + encodeURIComponent(canary + '/redirect'); document.body.append(fr2);
      try { navigator.sendBeacon(canary + '/beacon', 'x'); } catch (e) {}
      try { new WebSocket(canary.replace(/^http/, 'ws') + '/ws'); } catch (e) {}
      try { window.open(canary + '/popup'); } catch (e) {}
      const a = document.createElement('a'); a.href = '/scripted/download'; a.download = 'x.bin'; document.body.append(a); a.click();
      const w = new Worker(URL.createObjectURL(new Blob(["fetch('" + canary + "/worker').catch(() => {})"])));
    }`,
};

function shell(title, extra) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><header><h1>${title}</h1><p>Berlin · Full-time</p></header>
<main><div id="app"><p>Loading the application form…</p></div></main>
${extra ? `<script>${extra}</script>` : ''}
<script src="/scripted/app.js"></script></body></html>`;
}

const PAGES = {
  built: () => shell(FORM.title),
  dialogs: () => shell(FORM.title, EXTRA_JS.dialogs),
  busy: () => shell(FORM.title, EXTRA_JS.busy),
  probe: () => shell(FORM.title, EXTRA_JS.probe),
  hog: () => `<!doctype html><html><body><p>Loading…</p><script>
    const keep = []; (function grow() { for (let i = 0; i < 50; i++) keep.push(new Array(1 << 20).fill(i)); setTimeout(grow, 0); })();
    </script></body></html>`,
  reload: () => `<!doctype html><html><body><p>Redirecting…</p><script>setTimeout(() => location.reload(), 100);</script></body></html>`,
  captcha: () => `<!doctype html><html><body><h1>${FORM.title}</h1><div id="app"><p>Please complete the CAPTCHA to see the application form.</p></div>
    <script>document.getElementById('app').dataset.captcha = 'required';</script></body></html>`,
};

const hanging = new Set();

/** Handles /scripted/...; returns false for other paths. */
export function routeScripted(req, res, url) {
  const p = url.pathname;
  if (!p.startsWith('/scripted/')) return false;
  const name = p.slice('/scripted/'.length);
  const send = (status, type, body, headers = {}) => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
    res.end(body);
  };
  if (name === 'app.js') return send(200, 'text/javascript', APP_JS), true;
  if (name === 'built/form.json') return send(200, 'application/json', JSON.stringify(FORM)), true;
  if (name === 'hang') {
    // Answers after two minutes, or never if the client goes away first.
    hanging.add(res);
    const t = setTimeout(() => { hanging.delete(res); send(200, 'text/plain', 'late'); }, 120000);
    res.on('close', () => { clearTimeout(t); hanging.delete(res); });
    return true;
  }
  if (name === 'redirect') {
    const to = url.searchParams.get('to') || '/';
    return send(302, 'text/plain', 'moved', { Location: to }), true;
  }
  if (name === 'built/apply' && req.method === 'POST') {
    req.resume();
    return send(303, 'text/plain', 'see other', { Location: '/scripted/thanks' }), true;
  }
  if (name === 'download') return send(200, 'application/octet-stream', 'binary', { 'Content-Disposition': 'attachment; filename="x.bin"' }), true;
  if (name === 'thanks') return send(200, 'text/html', '<!doctype html><p>Thank you for applying.</p>'), true;
  if (Object.hasOwn(PAGES, name)) return send(200, 'text/html; charset=utf-8', PAGES[name]()), true;
  send(404, 'text/plain', 'not found');
  return true;
}

/** Closes requests left hanging (at shutdown). */
export function closeScripted() {
  for (const r of hanging) r.destroy();
  hanging.clear();
}
