// The red-team page's own script: everything here is the page's doing, not parcours'.
(function () {
  // Prototype.js-era damage, before parcours loads: arrays refuse to become JSON, and arrays and objects carry
  // enumerable junk that every for…in loop sees.
  Object.defineProperty(Array.prototype, 'toJSON', {
    value: function () {
      throw new Error('redteam-hostile: Array.prototype.toJSON');
    },
    writable: true,
    configurable: true,
  });
  Array.prototype.each = function (fn) {
    for (var i = 0; i < this.length; i++) fn(this[i]);
  };
  // A theme wrapper around JSON.stringify that throws for anything it does not like.
  var stringify = JSON.stringify;
  JSON.stringify = function (value) {
    if (value && value.__theme_refuse__) throw new Error('redteam-hostile: JSON.stringify');
    return stringify.apply(JSON, arguments);
  };

  document.addEventListener('DOMContentLoaded', function () {
    // The third-party widget throws an error whose message carries the customer's email.
    document.getElementById('widget').addEventListener('click', function () {
      throw new Error('redteam-deliberate: gift wrapping failed for jane.err@doe.com');
    });
    // The theme shows a card error next to the field once the form is submitted, and stops the submit.
    document.getElementById('express').addEventListener('submit', function (e) {
      e.preventDefault();
      var error = document.getElementById('card-error');
      error.textContent = 'Your card was declined.';
      error.hidden = false;
      document.getElementById('card').setAttribute('aria-invalid', 'true');
    });
  });
})();
