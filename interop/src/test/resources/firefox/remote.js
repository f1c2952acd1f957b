'use strict';
// Drives window.t (the page's script, shared with ChromiumClient) for FirefoxClient, which has no WebDriver: the page
// asks the test for its next command by long polling GET /command and posts what happens to POST /event, both as
// the tab-separated lines of ScriptedClient (strings that may hold tabs in base64). The query's g numbers this load
// of the page, so that the test can tell it to move on and drop what an earlier load still posts.
(() => {
  const generation = new URLSearchParams(location.search).get('g');
  const b64 = (text) => btoa(Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join('')) || '-';
  const unb64 = (field) => (field === '-' ? ''
    : new TextDecoder().decode(Uint8Array.from(atob(field), (c) => c.charCodeAt(0))));
  let posting = Promise.resolve();
  const post = (...fields) => {
    const line = fields.join('\t');
    posting = posting.then(() => fetch('/event?g=' + generation, { method: 'POST', body: line }).catch(() => {}));
  };

  // t queues each event in order of arrival, once its digest is known; the test gets it as a line.
  t.events = {
    push(e) {
      if (e.type === 'text' || e.type === 'binary') post(e.type, e.length, e.sha256);
      else if (e.type === 'closed') post('closed', e.code, b64(e.reason));
      else post('error', b64(e.message));
    },
  };

  const opened = (r) => (r.error ? post('error', b64(r.error)) : post('open', r.protocol || '-', r.extensions || '-'));
  function run([op, ...args]) {
    if (op === 'open') t.open(args[0], args[1] === '-' ? [] : args[1].split(','), opened);
    else if (op === 'send') t.send(args[0] === 'text', Number(args[1]), args[2] === '-' ? null : unb64(args[2]));
    else if (op === 'close') t.ws.close(Number(args[0]), unb64(args[1]));
    else if (op === 'end') { if (t.ws && t.ws.readyState < 2) t.ws.close(); }
    else if (op === 'goto') location.href = '/?g=' + args[0];
    else throw new Error('unknown command ' + op);
  }

  (async () => {
    for (;;) {
      let line;
      try {
        const reply = await fetch('/command?g=' + generation, { cache: 'no-store' });
        line = reply.status === 200 ? await reply.text() : null;
      } catch (gone) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      if (line === null) continue;
      try {
        run(line.split('\t'));
      } catch (err) {
        post('error', b64(String(err)));
      }
      if (line.startsWith('goto')) return;
    }
  })();
})();
