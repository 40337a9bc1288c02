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
