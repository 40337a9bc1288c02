// ptce-hub progressive enhancements (the pages work without this file).
// After a boosted navigation (a link or form whose response replaced the body), behave like a page
// load: scroll back to the top (unless the URL targets an anchor) and move focus to the main content
// so screen readers start reading the new page. In htmx 4 the source element of a boosted request is
// gone once the body is swapped (`ctx.sourceElement` then is the body), so test the swap target.
document.addEventListener('htmx:after:swap', (event) => {
  const ctx = event.detail?.ctx;
  if (!ctx || ctx.target !== document.body) return;
  if (!ctx.request?.anchor) window.scrollTo(0, 0);
  document.getElementById('contenu')?.focus({ preventScroll: true });
});

// The « Menu » skip link: on a phone the main menu sits in DSFR's closed modal, where the anchor
// leads nowhere; open the modal instead, focus on its first link. (Without JavaScript app.css shows
// the menu inline, and the anchor works as is.)
document.addEventListener('click', (event) => {
  const link =
    event.target instanceof Element ? event.target.closest('a[href="#navigation-principale"]') : null;
  const nav = document.getElementById('navigation-principale');
  const modal = document.getElementById('menu-principal');
  if (
    !link ||
    !nav ||
    !modal ||
    nav.checkVisibility({ visibilityProperty: true }) ||
    typeof window.dsfr !== 'function'
  )
    return;
  event.preventDefault();
  modal.addEventListener('dsfr.disclose', () => nav.querySelector('a')?.focus(), { once: true });
  window.dsfr(modal).modal.disclose();
});

// AMI section autosave (src/features/ami/views.tsx): the section's fields POST on `change` and the
// server answers « Enregistré à HH:MM » (or why not) into #autosave. When the request never reaches
// the server (network down, timeout), say so in the same live region and offer a retry; the explicit
// « Enregistrer » button works too.
// Autosave requests send the form as it is when they leave (a queued one would otherwise carry the
// values, and the version, of the moment it was triggered). A save button pressed while one is on its
// way (the field's `change` fires as focus leaves it for the button) waits for it, so the form then
// carries the version the autosave returned, not a stale one.
const autosaveForm = (element) =>
  element instanceof Element && !element.matches('form') ? element.closest('form[data-autosave]') : null;
const inflight = new WeakMap();
const waiting = new WeakMap();
document.addEventListener('htmx:before:request', (event) => {
  const ctx = event.detail?.ctx;
  const form = autosaveForm(ctx?.sourceElement);
  if (!form) return;
  if (ctx.request.body instanceof URLSearchParams) ctx.request.body = new URLSearchParams(new FormData(form));
  inflight.set(form, (inflight.get(form) ?? 0) + 1);
});
document.addEventListener('htmx:finally:request', (event) => {
  const form = autosaveForm(event.detail?.ctx?.sourceElement);
  if (!form) return;
  inflight.set(form, Math.max(0, (inflight.get(form) ?? 1) - 1));
  // A queued autosave starts right after this one ends: submit only once none is left.
  setTimeout(() => {
    if (inflight.get(form) || !waiting.has(form)) return;
    const submitter = waiting.get(form);
    waiting.delete(form);
    form.requestSubmit(submitter ?? undefined);
  }, 50);
});
document.addEventListener(
  'submit',
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('[data-autosave]') || !inflight.get(form)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    waiting.set(form, event.submitter ?? null);
  },
  true,
);

document.addEventListener('htmx:error', (event) => {
  const source = event.detail?.ctx?.sourceElement;
  const form = source instanceof Element ? source.closest('form[data-autosave]') : null;
  const message = form?.querySelector('#autosave-message');
  if (!form || !message) return;
  message.className = 'fr-error-text';
  message.textContent = 'Échec de l’enregistrement automatique (connexion interrompue). ';
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.className = 'fr-btn fr-btn--sm fr-btn--tertiary';
  retry.textContent = 'Réessayer';
  retry.addEventListener('click', () => {
    message.textContent = 'Nouvel essai…';
    source.dispatchEvent(new Event('change', { bubbles: true }));
  });
  message.append(retry);
});
