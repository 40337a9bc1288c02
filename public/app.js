// ptce-hub progressive enhancements (the pages work without this file).
// Move focus to the main content after a boosted navigation, so screen readers start at the page.
document.addEventListener('htmx:after:swap', (event) => {
  const ctx = event.detail?.ctx;
  if (ctx?.sourceElement?.matches?.('a[href]') && ctx.target === document.body) {
    document.getElementById('contenu')?.focus({ preventScroll: true });
  }
});
