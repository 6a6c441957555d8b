window.parcours = window.parcours || function () { (parcours.q = parcours.q || []).push(arguments) };
parcours('identify', 'u-42', { plan: 'gold' });
parcours('track', 'newsletter_signup', { list: 'weekly' });
parcours('track', 'second_call', { n: 2 });
parcours('no_such_command');
