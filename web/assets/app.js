// The page's only script (CSP: script-src 'self'): live run progress, the batch form's time zone,
// the print button and delete confirmations. Every page works without it, except the live progress.
'use strict';

function pollProgress(element) {
  const url = element.getAttribute('data-poll');
  const tick = async () => {
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (!res.ok) return;
      const progress = await res.json();
      element.textContent = progress.text;
      if (progress.finished) {
        window.location.reload();
        return;
      }
    } catch {
      // the next tick tries again
    }
    setTimeout(tick, 1000);
  };
  setTimeout(tick, 1000);
}

document.addEventListener('DOMContentLoaded', () => {
  const progress = document.querySelector('[data-poll]');
  if (progress) pollProgress(progress);

  for (const form of document.querySelectorAll('form.batch-form')) {
    form.addEventListener('submit', () => {
      const local = form.querySelector('input[name="startAt"]').value;
      const offset = form.querySelector('[data-tz-offset]');
      if (local && offset) offset.value = String(new Date(local).getTimezoneOffset());
    });
  }

  for (const button of document.querySelectorAll('[data-print]')) button.addEventListener('click', () => window.print());

  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  }
});
