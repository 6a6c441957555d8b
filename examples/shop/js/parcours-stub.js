// parcours pre-load stub, exactly as documented: calls made before /parcours.min.js has loaded are queued in
// parcours.q and replayed by the SDK when it starts. It is a file rather than an inline <script> so the shop runs
// under a strict `Content-Security-Policy: default-src 'self'`.
window.parcours = window.parcours || function () { (parcours.q = parcours.q || []).push(arguments) };
