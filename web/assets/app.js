// The page's only script (CSP: script-src 'self'): live run progress, the time zone of date fields,
// fields that apply to one protocol or frequency, the print button and delete confirmations. Every page works without it, except the live progress.
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

  // a local date and time goes to the server with this browser's offset from UTC at that moment
  for (const offset of document.querySelectorAll('[data-tz-offset]')) {
    const form = offset.form;
    form.addEventListener('submit', () => {
      const local = form.querySelector('input[type="datetime-local"]').value;
      if (local) offset.value = String(new Date(local).getTimezoneOffset());
    });
  }

  // fields for one protocol, frequency or kind: shown, and sent, only while they apply
  for (const field of document.querySelectorAll('[data-show-when]')) {
    const [name, values] = field.getAttribute('data-show-when').split('=');
    const control = field.closest('form').querySelector(`select[name="${name}"]`);
    if (!control) continue;
    const update = () => {
      const shown = values.split('|').includes(control.value);
      field.hidden = !shown;
      for (const input of field.querySelectorAll('input, select, textarea')) input.disabled = !shown;
    };
    control.addEventListener('change', update);
    update();
  }

  for (const button of document.querySelectorAll('[data-print]')) button.addEventListener('click', () => window.print());

  for (const form of document.querySelectorAll('form[data-confirm]')) {
    form.addEventListener('submit', (event) => {
      if (!window.confirm(form.getAttribute('data-confirm'))) event.preventDefault();
    });
  }
});
