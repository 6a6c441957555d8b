// Adds the parcours tag the way a tag manager would: a script element created at run time.
(function () {
  var s = document.createElement('script');
  s.src = '/parcours.min.js';
  s.setAttribute('data-endpoint', '/collect');
  s.setAttribute('data-site', 'delivery');
  s.setAttribute('data-debug', '');
  new URLSearchParams(location.search).forEach(function (value, key) {
    s.setAttribute('data-' + key, value);
  });
  document.head.appendChild(s);
})();
