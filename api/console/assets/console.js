// ledgerbridge console: progressive enhancement only. Every page works without this file.
// 1. [data-refresh-url][data-refresh-every]: the element's content is fetched again every N ms (live status).
// 2. form[data-async][data-target]: the form posts in place; its button reads data-busy ("Checking…") meanwhile,
//    and the answer (an HTML fragment) fills the target.
(() => {
  'use strict';
  const fragmentHeaders = { 'x-console-fragment': '1', accept: 'text/html' };

  for (const element of document.querySelectorAll('[data-refresh-url][data-refresh-every]')) {
    const every = Math.max(1000, Number(element.getAttribute('data-refresh-every')) || 5000);
    const refresh = async () => {
      if (document.hidden) return;
      try {
        const response = await fetch(element.getAttribute('data-refresh-url'), { headers: fragmentHeaders, credentials: 'same-origin' });
        if (!response.ok) return;
        const markup = await response.text();
        if (markup !== element.innerHTML) element.innerHTML = markup; // unchanged: leave it (no screen-reader noise)
      } catch {
        /* offline for a moment: the next tick tries again */
      }
    };
    setInterval(refresh, every);
  }

  // Delegated, so that forms inside refreshed content (a card's Retry buttons) post in place as well.
  document.addEventListener('submit', async (event) => {
    const form = event.target instanceof Element ? event.target.closest('form[data-async][data-target]') : null;
    if (!form) return;
    const target = document.querySelector(form.getAttribute('data-target'));
    const button = form.querySelector('button[type="submit"], button:not([type])');
    if (!target || !button) return; // let the browser post the form the ordinary way
    event.preventDefault();
    const label = button.textContent;
    button.disabled = true;
    button.textContent = form.getAttribute('data-busy') || 'Working…';
    target.setAttribute('aria-busy', 'true');
    target.textContent = button.textContent;
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        headers: { ...fragmentHeaders, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(new FormData(form)),
        credentials: 'same-origin',
      });
      const markup = await response.text();
      if ((response.headers.get('content-type') || '').startsWith('text/html')) target.innerHTML = markup;
      else target.textContent = markup;
    } catch {
      target.textContent = 'The console could not be reached. Check your connection and try again.';
    } finally {
      target.removeAttribute('aria-busy');
      button.disabled = false;
      button.textContent = label;
    }
  });
})();
