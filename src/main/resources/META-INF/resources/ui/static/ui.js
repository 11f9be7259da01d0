// Fits the portal's frame to the page when the portal's BX24 library is present; the page works without it.
(function () {
  function fit() {
    if (window.BX24 && typeof window.BX24.fitWindow === 'function') {
      try { window.BX24.fitWindow(); } catch (e) { /* outside the portal's frame */ }
    }
  }
  if (window.BX24 && typeof window.BX24.init === 'function') {
    window.BX24.init(fit);
  }
  window.addEventListener('load', fit);
  // one click sends once: the button is disabled after the first submit (the server dedups by the form's nonce too)
  document.addEventListener('submit', function (event) {
    var buttons = event.target.querySelectorAll('button[type=submit]');
    setTimeout(function () { buttons.forEach(function (b) { b.disabled = true; }); }, 0);
  });
})();
