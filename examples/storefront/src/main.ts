/**
 * A single-page storefront with parcours from npm. The tracker is created once, after the first route is on the
 * page; from then on `pages()` sees every history.pushState and popstate, records a page view with the previous
 * route as referrer, and detects the new page once it has rendered (150 ms later, or when it changes if the old
 * view is still up), which is when `commerce()` records product views,
 * cart views, checkout steps and the order from the markup views.ts renders.
 */
import { commerce, createTracker, journey, pages } from 'parcours';
import { addToCart, cart, customer, placeOrder, removeFromCart, signIn } from './shop';
import { BASE, route } from './views';

const main = document.getElementById('main')!;

function render() {
  const view = route(location.pathname.slice(BASE.length) || '/');
  document.title = view.title + ' · Atelier Lune';
  // What page detection reads first: the page type and checkout step, declared on <body>.
  document.body.dataset.parcoursPage = view.page;
  if (view.step) document.body.dataset.parcoursCheckoutStep = view.step;
  else delete document.body.dataset.parcoursCheckoutStep;
  main.innerHTML = view.html;
  renderHeader();
}

function renderHeader() {
  const count = cart().reduce((n, l) => n + l.qty, 0);
  const badge = document.querySelector('[data-cart-count]')!;
  badge.textContent = String(count);
  badge.classList.toggle('is-empty', !count);
  const who = customer();
  const button = document.querySelector<HTMLButtonElement>('[data-sign-in]')!;
  button.textContent = who ? 'Hi, ' + who.name : 'Sign in';
  button.disabled = !!who;
}

// `?latency=600` on the first URL: routes take that long to load their data, as a storefront fetching from a
// commerce API does, and the previous page stays up meanwhile (React transitions, Vue Router guards). pages()
// waits for the new page instead of detecting the old one under the new URL.
const LATENCY = Math.min(Number(new URLSearchParams(location.search).get('latency')) || 0, 5_000);
let loading: ReturnType<typeof setTimeout> | undefined;
function show() {
  if (!LATENCY) return render();
  clearTimeout(loading);
  document.body.classList.add('is-loading');
  loading = setTimeout(() => (document.body.classList.remove('is-loading'), render()), LATENCY);
}

function navigate(url: string) {
  if (url != location.pathname + location.search) history.pushState(null, '', url);
  show();
  scrollTo(0, 0);
}

// Render first: pages() detects the page it finds when the tracker starts. journey() first: it tags the page
// view that pages() records right away.
render();
const tracker = createTracker({ endpoint: '/collect', site: 'storefront', parts: [journey(), pages(), commerce()] });

// Links inside the app are routes: no page load. Other links, new tabs and modified clicks behave as usual.
document.addEventListener('click', (e) => {
  const target = e.target as Element;
  const link = target.closest('a');
  if (link && link.origin == location.origin && link.pathname.startsWith(BASE + '/') && !link.target && !e.button && !(e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)) {
    e.preventDefault();
    return navigate(link.pathname + link.search);
  }
  const add = target.closest<HTMLElement>('[data-add]');
  if (add) {
    addToCart(add.dataset.add!);
    renderHeader();
    main.querySelector('[data-status]')!.textContent = 'Added to your cart.';
  }
  const remove = target.closest<HTMLElement>('[data-remove]');
  if (remove) (removeFromCart(remove.dataset.remove!), render());
  if (target.closest('[data-sign-in]')) {
    const who = signIn();
    tracker.identify(who.id, { tier: 'member' }); // this and every later event carry userId 'cus_1042'
    renderHeader();
  }
});

document.addEventListener('submit', (e) => {
  const form = e.target as HTMLFormElement;
  e.preventDefault();
  if (form.matches('[data-newsletter]')) {
    tracker.track('newsletter_signup', { list: 'kiln-letters' }); // what happened, never the address typed
    form.querySelector('[data-status]')!.textContent = 'Thank you: see you when the kiln opens.';
    return form.reset();
  }
  // The checkout's forms are never read: commerce() records the step from the next route, the payment from the submit.
  if (form.matches('[data-pay]')) placeOrder();
  if (form.dataset.next) navigate(form.dataset.next);
});

// Back and forward: the URL already changed; pages() records the page view, the app only renders.
addEventListener('popstate', show);
