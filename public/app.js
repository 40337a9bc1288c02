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
