/*
 * Atelier Lune — the demo shop's own script. Plain ES2018, no build, no dependencies.
 *
 * Cart, checkout details, orders and reviews live in localStorage. This file is loaded as a normal script at the
 * end of <body>, so every page is fully rendered (cart lines, totals, order confirmation, and the data-parcours-*
 * attributes on them) before the async analytics script runs. It contains no analytics code: parcours reads the
 * page and its attributes on its own.
 */
(function () {
  'use strict';

  const CURRENCY = 'EUR';
  const VAT_RATE = 0.2; // French VAT, included in every price shown
  const MAX_QTY = 10;
  const DISCOUNTS = { LUNE10: 0.1 };
  const SHIPPING = {
    colissimo: { label: 'Colissimo', fee: 4.9 },
    express: { label: 'Chronopost Express', fee: 12 },
    pickup: { label: 'Pickup at the workshop', fee: 0 },
  };
  const COUNTRIES = { FR: 'France', BE: 'Belgium', LU: 'Luxembourg', CH: 'Switzerland', DE: 'Germany', IT: 'Italy', ES: 'Spain' };
  const SHIPPED_AFTER_MS = 24 * 60 * 60 * 1000; // orders leave the workshop within a day
  const KEY = {
    cart: 'atelier-lune:cart',
    checkout: 'atelier-lune:checkout',
    orders: 'atelier-lune:orders',
    lastOrder: 'atelier-lune:last-order',
    reviews: 'atelier-lune:reviews',
  };

  /** Everything in the shop, for search. Product pages carry their own data in their markup. */
  const CATALOG = [
    { id: 'moon-bowl', name: 'Moon Bowl', price: 34, material: 'Stoneware', meta: '3 glazes', image: '/img/moon-bowl-oat.svg', words: 'bowls ceramics stoneware oat moonstone charcoal ramen porridge salad' },
    { id: 'tide-mug', name: 'Tide Mug', price: 28, material: 'Stoneware', meta: '3 glazes', image: '/img/tide-mug-seafoam.svg', words: 'mugs cups ceramics stoneware sea foam oat rust coffee tea' },
    { id: 'linen-apron', name: 'Linen Work Apron', price: 56, material: 'Washed linen', meta: '3 colours', image: '/img/linen-apron-natural.svg', words: 'aprons linen textile natural ochre slate kitchen baking' },
    { id: 'linen-tea-towel', name: 'Linen Tea Towel', price: 18, material: 'Linen', meta: '2 stripes', image: '/img/linen-tea-towel-natural.svg', words: 'towels torchon linen textile kitchen stripe terracotta natural' },
    { id: 'bud-vase', name: 'Bud Vase', price: 24, material: 'Stoneware', meta: '3 glazes', image: '/img/bud-vase-moonstone.svg', words: 'vases bottle flowers ceramics stoneware moonstone oat celadon' },
    { id: 'crescent-plate', name: 'Crescent Plate', price: 26, material: 'Stoneware', meta: 'Hand-painted cobalt', image: '/img/crescent-plate.svg', words: 'plates ceramics stoneware cobalt blue moon', soldOut: true },
  ];

  // ------------------------------------------------------------------ small helpers

  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.prototype.slice.call((root || document).querySelectorAll(sel));
  const moneyFormat = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: CURRENCY });
  const money = (n) => moneyFormat.format(n);
  const round2 = (n) => Math.round(n * 100) / 100;
  const attrNumber = (n) => round2(n).toFixed(2); // data-parcours-* numbers: dot decimal, two places
  const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);
  const clamp = (n, lo, hi) => Math.min(hi, Math.max(lo, n));
  const longDate = (d) => new Date(d).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });

  function load(key, fallback) {
    try {
      const value = JSON.parse(localStorage.getItem(key));
      return value == null ? fallback : value;
    } catch (e) {
      return fallback; // storage disabled or a corrupt value: start fresh rather than break the page
    }
  }

  function save(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      // Private mode or quota: the shop still works for this page, it just forgets on the next one.
    }
  }

  function setStatus(el, html, isError) {
    if (!el) return;
    el.innerHTML = html;
    el.classList.toggle('is-error', Boolean(isError));
  }

  /** Re-run a CSS animation on an element (used to show that a value changed). */
  function flash(el, className) {
    el.classList.remove(className);
    void el.offsetWidth; // force a reflow so the animation restarts
    el.classList.add(className);
  }

  /**
   * Forms keep native validation: the browser only fires `submit` once every field is valid, and fires `invalid`
   * on the fields that are not. Here we take over after that, store what we need and move on.
   */
  function onValidSubmit(form, handler) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      handler(new FormData(form), event);
    });
  }

  function go(path, form) {
    const button = form && $('[type="submit"]', form);
    if (button) button.disabled = true; // no double orders from an impatient double click
    location.href = path;
  }

  // ------------------------------------------------------------------ cart

  function getCart() {
    const cart = load(KEY.cart, null);
    return cart && Array.isArray(cart.items) ? cart : { items: [], discount: null };
  }

  function setCart(cart) {
    save(KEY.cart, cart);
    renderCartCount(cart);
  }

  const lineKey = (item) => item.id + '|' + item.variant;
  const itemCount = (cart) => cart.items.reduce((n, item) => n + item.qty, 0);

  /** Totals of a cart. Prices include VAT; `tax` is the VAT contained in the total. `shippingFee` null = not chosen yet. */
  function totals(cart, shippingFee) {
    const subtotal = round2(cart.items.reduce((sum, item) => sum + item.price * item.qty, 0));
    const discount = round2(subtotal * (DISCOUNTS[cart.discount] || 0));
    const total = round2(subtotal - discount + (shippingFee || 0));
    return { subtotal, discount, shipping: shippingFee, total, tax: round2(total - total / (1 + VAT_RATE)) };
  }

  function renderCartCount(cart) {
    const n = itemCount(cart || getCart());
    $$('[data-cart-count]').forEach((el) => {
      el.textContent = String(n);
      el.classList.toggle('is-empty', n === 0);
    });
    $$('[data-cart-link]').forEach((el) => el.setAttribute('aria-label', 'Cart, ' + n + (n === 1 ? ' item' : ' items')));
  }

  /** The data-parcours-product-* attributes every rendered cart, checkout and order line carries. */
  function productAttrs(item) {
    return `data-parcours-product-id="${esc(item.id)}" data-parcours-product-name="${esc(item.name)}" ` +
      `data-parcours-product-price="${attrNumber(item.price)}" data-parcours-product-currency="${CURRENCY}" ` +
      `data-parcours-product-variant="${esc(item.variant)}" data-parcours-quantity="${item.qty}"`;
  }

  // ------------------------------------------------------------------ product page

  function initProductPage() {
    const form = $('#product-form');
    if (!form) return;
    const name = form.getAttribute('data-parcours-product-name');
    const price = Number(form.getAttribute('data-parcours-product-price'));
    const select = $('#variant-select', form);
    const option = $('label[for="variant-select"]', form).textContent.trim();
    const qty = $('#quantity', form);
    const addButton = $('[data-parcours-add-to-cart]', form);
    const status = $('#add-status');
    const mainImage = $('#gallery-main-image');
    const thumbs = $$('.thumb');

    function showImage(thumb) {
      thumbs.forEach((t) => {
        t.classList.toggle('is-active', t === thumb);
        t.setAttribute('aria-pressed', String(t === thumb));
      });
      mainImage.src = thumb.getAttribute('data-image');
      mainImage.alt = thumb.getAttribute('data-alt');
    }
    thumbs.forEach((thumb) => thumb.addEventListener('click', () => showImage(thumb)));

    // The first thumbnail always shows the selected variant.
    select.addEventListener('change', () => {
      const src = select.selectedOptions[0].getAttribute('data-image');
      const alt = name + ' in ' + select.value;
      const first = thumbs[0];
      first.setAttribute('data-image', src);
      first.setAttribute('data-alt', alt);
      first.setAttribute('aria-label', 'Show image 1 of ' + thumbs.length + ': ' + alt);
      $('img', first).src = src;
      showImage(first);
      form.setAttribute('data-parcours-product-variant', select.value);
    });

    const minus = $('[data-qty-step="-1"]', form);
    const plus = $('[data-qty-step="1"]', form);
    function setQty(value) {
      const n = clamp(Math.round(Number(value)) || 1, 1, MAX_QTY);
      qty.value = String(n);
      form.setAttribute('data-parcours-quantity', String(n));
      minus.disabled = n <= 1;
      plus.disabled = n >= MAX_QTY;
      addButton.textContent = 'Add to cart · ' + money(price * n);
    }
    [minus, plus].forEach((b) => b.addEventListener('click', () => setQty(Number(qty.value) + Number(b.getAttribute('data-qty-step')))));
    qty.addEventListener('change', () => setQty(qty.value));
    setQty(qty.value);

    onValidSubmit(form, () => {
      const cart = getCart();
      const item = {
        id: form.getAttribute('data-parcours-product-id'),
        name,
        price,
        option,
        variant: select.value,
        qty: Number(qty.value),
        image: select.selectedOptions[0].getAttribute('data-image'),
        url: location.pathname,
      };
      const existing = cart.items.find((i) => lineKey(i) === lineKey(item));
      if (existing) existing.qty = clamp(existing.qty + item.qty, 1, MAX_QTY);
      else cart.items.push(item);
      setCart(cart);
      $$('[data-cart-count]').forEach((el) => flash(el, 'is-bumped'));
      setStatus(status, `Added ${item.qty} × ${esc(name)} (${esc(item.variant)}) to your cart. <a href="/cart">View cart →</a>`);
    });
  }

  function initShare() {
    const copy = $('[data-share-copy]');
    if (!copy) return;
    const status = $('#share-status');
    const pageUrl = location.origin + location.pathname;
    const title = document.title;
    const image = $('#gallery-main-image');
    // Point the share links at wherever the shop is actually served.
    $$('[data-share-pinterest]').forEach((a) => {
      a.href = 'https://www.pinterest.com/pin/create/button/?url=' + encodeURIComponent(pageUrl) +
        (image ? '&media=' + encodeURIComponent(image.src) : '') + '&description=' + encodeURIComponent(title);
    });
    $$('[data-share-email]').forEach((a) => {
      a.href = 'mailto:?subject=' + encodeURIComponent(title) + '&body=' + encodeURIComponent(pageUrl);
    });
    copy.addEventListener('click', () => {
      const fallback = () => setStatus(status, 'Copy this link: ' + esc(pageUrl));
      if (!navigator.clipboard) return fallback();
      navigator.clipboard.writeText(pageUrl).then(() => setStatus(status, 'Link copied.'), fallback);
    });
  }

  function reviewHtml(review, isNew) {
    const stars = '★'.repeat(review.rating) + `<span class="stars-off">${'★'.repeat(5 - review.rating)}</span>`;
    return `<li class="review${isNew ? ' is-new' : ''}">
      <span class="stars" role="img" aria-label="${review.rating} out of 5 stars">${stars}</span>
      <h3 class="review-title">${esc(review.title)}</h3>
      <p>${esc(review.body)}</p>
      <p class="review-meta">${esc(review.name)} · <time datetime="${esc(review.date)}">${esc(longDate(review.date))}</time></p>
    </li>`;
  }

  function initReviews() {
    const form = $('#review-form');
    const list = $('#review-list');
    const product = $('#product-form');
    if (!form || !list || !product) return;
    const productId = product.getAttribute('data-parcours-product-id');
    const saved = load(KEY.reviews, {});
    (saved[productId] || []).forEach((r) => list.insertAdjacentHTML('afterbegin', reviewHtml(r, false)));

    onValidSubmit(form, (data) => {
      const review = {
        rating: clamp(Number(data.get('rating')) || 5, 1, 5),
        name: String(data.get('name')).trim(),
        title: String(data.get('title')).trim(),
        body: String(data.get('body')).trim(),
        date: new Date().toISOString().slice(0, 10),
      };
      const all = load(KEY.reviews, {});
      all[productId] = (all[productId] || []).concat(review);
      save(KEY.reviews, all);
      list.insertAdjacentHTML('afterbegin', reviewHtml(review, true));
      form.reset();
      setStatus($('[data-form-status]', form), 'Thank you! Your review is now at the top of the list.');
    });
  }

  // ------------------------------------------------------------------ collection and search

  function initSort() {
    const select = $('#sort-by');
    const grid = $('#collection-grid');
    if (!select || !grid) return;
    const featured = $$('.product-card', grid);
    const price = (card) => Number(card.getAttribute('data-parcours-product-price'));
    select.addEventListener('change', () => {
      const dir = { 'price-asc': 1, 'price-desc': -1 }[select.value];
      const cards = dir ? featured.slice().sort((a, b) => dir * (price(a) - price(b))) : featured;
      cards.forEach((card) => grid.appendChild(card));
    });
  }

  const fold = (s) => s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');

  function searchCardHtml(p) {
    const attrs = `data-parcours-product-id="${p.id}" data-parcours-product-name="${esc(p.name)}" data-parcours-product-price="${attrNumber(p.price)}" data-parcours-product-currency="${CURRENCY}"`;
    const media = `<span class="card-media"><img src="${p.image}" alt="" width="600" height="600">${p.soldOut ? '<span class="badge">Sold out</span>' : ''}</span>`;
    const title = `<span class="card-title">${esc(p.name)}</span>`;
    return `<li class="product-card${p.soldOut ? ' is-sold-out' : ''}" ${attrs}>
      ${p.soldOut ? media + title : `<a class="card-link" href="/products/${p.id}">${media}${title}</a>`}
      <p class="card-meta">${esc(p.material)} · ${esc(p.meta)}</p>
      <p class="card-price">${money(p.price)}</p>
    </li>`;
  }

  function initSearch() {
    const results = $('#search-results');
    if (!results) return;
    const query = (new URLSearchParams(location.search).get('q') || '').trim();
    $$('input[name="q"]').forEach((input) => { input.value = query; });
    const summary = $('#search-summary');
    if (!query) return;
    // "Bowls" finds "bowl": drop a plural s from longer words.
    const terms = fold(query).split(/\s+/).map((t) => (t.length > 3 ? t.replace(/s$/, '') : t));
    const hits = CATALOG.filter((p) => {
      const haystack = fold(p.name + ' ' + p.material + ' ' + p.words);
      return terms.every((t) => haystack.indexOf(t) !== -1);
    });
    document.title = 'Search: ' + query + ' · Atelier Lune';
    summary.textContent = hits.length
      ? hits.length + (hits.length === 1 ? ' result' : ' results') + ' for “' + query + '”'
      : 'No results for “' + query + '”.';
    results.innerHTML = hits.map(searchCardHtml).join('');
    $('#search-empty').hidden = hits.length > 0;
  }

  // ------------------------------------------------------------------ cart page

  function cartLineHtml(item) {
    const label = esc(item.name + ' (' + item.variant + ')');
    return `<li class="cart-line" data-line-key="${esc(lineKey(item))}" ${productAttrs(item)}>
      <a class="cart-line-image" href="${esc(item.url)}" tabindex="-1" aria-hidden="true"><img src="${esc(item.image)}" alt="" width="104" height="104"></a>
      <div class="cart-line-info">
        <a class="cart-line-name" href="${esc(item.url)}">${esc(item.name)}</a>
        <p>${esc(item.option || 'Variant')}: ${esc(item.variant)}</p>
        <p>${money(item.price)}</p>
      </div>
      <div class="cart-line-controls">
        <div class="qty qty-sm" role="group" aria-label="Quantity of ${label}">
          <button type="button" class="qty-button" data-qty-step="-1" aria-label="Decrease quantity of ${label}" data-testid="qty-minus"${item.qty <= 1 ? ' disabled' : ''}>−</button>
          <span class="qty-value" data-qty-value>${item.qty}</span>
          <button type="button" class="qty-button" data-qty-step="1" aria-label="Increase quantity of ${label}" data-testid="qty-plus"${item.qty >= MAX_QTY ? ' disabled' : ''}>+</button>
        </div>
        <button type="button" class="link-button" data-parcours-remove-from-cart aria-label="Remove ${label} from cart" data-testid="remove-line">Remove</button>
      </div>
      <p class="cart-line-total" data-line-total>${money(item.price * item.qty)}</p>
    </li>`;
  }

  function renderCartTotals() {
    const cart = getCart();
    const empty = cart.items.length === 0;
    $('#cart').hidden = empty;
    $('#cart-empty').hidden = !empty;
    const t = totals(cart, null);
    $('#cart-subtotal').textContent = money(t.subtotal);
    const discountRow = $('#cart-discount-row');
    discountRow.hidden = !t.discount;
    if (t.discount) {
      $('#cart-discount-code').textContent = cart.discount;
      $('#cart-discount').textContent = '−' + money(t.discount);
      $('#cart-discount').classList.add('is-discount');
      discountRow.setAttribute('data-parcours-coupon', cart.discount);
    } else {
      discountRow.removeAttribute('data-parcours-coupon');
    }
    const total = $('#cart-total');
    total.textContent = money(t.total);
    total.setAttribute('data-parcours-cart-total', attrNumber(t.total));
    $('#cart-tax').textContent = 'Including ' + money(t.tax) + ' VAT. Shipping is added at checkout.';
  }

  function initCartPage() {
    const list = $('#cart-lines');
    if (!list) return;
    list.innerHTML = getCart().items.map(cartLineHtml).join('');
    renderCartTotals();

    list.addEventListener('click', (event) => {
      const button = event.target.closest('button');
      const line = button && button.closest('.cart-line');
      if (!line) return;
      const cart = getCart();
      const item = cart.items.find((i) => lineKey(i) === line.getAttribute('data-line-key'));
      if (!item) return;

      if (button.hasAttribute('data-parcours-remove-from-cart')) {
        cart.items.splice(cart.items.indexOf(item), 1);
        setCart(cart);
        // Remove the line after this click has finished bubbling, so any listener further up still finds it in the page.
        setTimeout(() => {
          line.remove();
          renderCartTotals();
          $('#cart-title').focus();
        }, 0);
        return;
      }

      const step = Number(button.getAttribute('data-qty-step'));
      if (!step) return;
      item.qty = clamp(item.qty + step, 1, MAX_QTY);
      setCart(cart);
      line.setAttribute('data-parcours-quantity', String(item.qty));
      $('[data-qty-value]', line).textContent = String(item.qty);
      $('[data-line-total]', line).textContent = money(item.price * item.qty);
      $('[data-qty-step="-1"]', line).disabled = item.qty <= 1;
      $('[data-qty-step="1"]', line).disabled = item.qty >= MAX_QTY;
      if (button.disabled) $('.qty-button:not(:disabled)', line).focus(); // keep keyboard focus inside the stepper
      renderCartTotals();
    });

    const couponForm = $('#coupon-form');
    const couponInput = $('input[name="discount"]', couponForm);
    const couponStatus = $('#coupon-status');
    onValidSubmit(couponForm, (data) => {
      const code = String(data.get('discount')).trim().toUpperCase();
      const cart = getCart();
      if (DISCOUNTS[code]) {
        cart.discount = code;
        setCart(cart);
        couponForm.reset(); // also clears :user-invalid, so the emptied field is not flagged red
        couponInput.removeAttribute('aria-invalid');
        setStatus(couponStatus, `<strong>${esc(code)}</strong> applied: ${Math.round(DISCOUNTS[code] * 100)}\u00a0% off your pieces.`);
      } else {
        couponInput.setAttribute('aria-invalid', 'true');
        setStatus(couponStatus, `“${esc(code)}” is not a valid discount code.`, true);
      }
      renderCartTotals();
    });
    couponInput.addEventListener('input', () => couponInput.removeAttribute('aria-invalid'));

    $('#coupon-remove').addEventListener('click', () => {
      const cart = getCart();
      cart.discount = null;
      setCart(cart);
      setStatus(couponStatus, 'Discount code removed.');
      renderCartTotals();
      couponInput.focus();
    });
  }

  // ------------------------------------------------------------------ checkout

  function summaryLineHtml(item) {
    return `<li class="summary-line" ${productAttrs(item)}>
      <span class="summary-thumb"><img src="${esc(item.image)}" alt="" width="64" height="64"><span class="summary-qty" aria-hidden="true">${item.qty}</span></span>
      <span>
        <span class="summary-name">${esc(item.name)}</span>
        <span class="summary-variant">${esc(item.variant)} · ${item.qty} × ${money(item.price)}</span>
      </span>
      <p class="summary-price">${money(item.price * item.qty)}</p>
    </li>`;
  }

  function renderTotals(prefix, t, couponCode, method) {
    $('#' + prefix + '-subtotal').textContent = money(t.subtotal);
    $('#' + prefix + '-discount-row').hidden = !t.discount;
    if (t.discount) {
      $('#' + prefix + '-discount-code').textContent = couponCode;
      $('#' + prefix + '-discount').textContent = '−' + money(t.discount);
      $('#' + prefix + '-discount').classList.add('is-discount');
    }
    const shipping = $('#' + prefix + '-shipping');
    if (method) {
      shipping.textContent = t.shipping ? money(t.shipping) : 'Free';
      shipping.setAttribute('data-parcours-shipping', attrNumber(t.shipping));
      $('#' + prefix + '-shipping-label').textContent = '(' + SHIPPING[method].label + ')';
    } else {
      shipping.textContent = 'Calculated at next step';
      shipping.classList.add('muted');
      shipping.removeAttribute('data-parcours-shipping');
    }
    $('#' + prefix + '-total').textContent = money(t.total);
    $('#' + prefix + '-tax').textContent = 'Including ' + money(t.tax) + ' VAT';
  }

  /** Order summary of the checkout steps. `method` null means shipping is not chosen yet. */
  function renderSummary(cart, method) {
    $('#summary-lines').innerHTML = cart.items.map(summaryLineHtml).join('');
    const t = totals(cart, method ? SHIPPING[method].fee : null);
    renderTotals('summary', t, cart.discount, method);
    $('#summary-total').setAttribute('data-parcours-total', attrNumber(t.total));
    const n = itemCount(cart);
    $('#summary-bar-count').textContent = n + (n === 1 ? ' item' : ' items');
    $('#summary-bar-total').textContent = money(t.total);
    const payLabel = $('#pay-label');
    if (payLabel) payLabel.textContent = 'Pay ' + money(t.total);
    return t;
  }

  function fillForm(form, values) {
    Object.keys(values).forEach((name) => {
      const field = form.elements[name];
      if (!field || values[name] == null) return;
      if (field.type === 'checkbox') field.checked = values[name] === true;
      else if (field instanceof RadioNodeList) $$(`input[name="${name}"]`, form).forEach((r) => { r.checked = r.value === values[name]; });
      else field.value = values[name];
    });
  }

  function renderRecap(info) {
    const method = SHIPPING[info.shipping];
    const rows = {
      contact: info.email,
      address: info.address1 && [info.address1, [info.postcode, info.city].join(' '), COUNTRIES[info.country] || info.country].filter(Boolean).join(', '),
      method: method && method.label + ' · ' + (method.fee ? money(method.fee) : 'Free'),
    };
    $$('[data-recap]').forEach((row) => {
      const value = rows[row.getAttribute('data-recap')];
      row.hidden = !value;
      if (value) $('dd', row).textContent = value;
    });
  }

  function randomOrderCode(length) {
    const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O or 1/I: order numbers get read out on the phone
    const bytes = new Uint8Array(length);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => chars[b % chars.length]).join('');
  }

  function placeOrder(cart, info) {
    const method = SHIPPING[info.shipping] ? info.shipping : 'colissimo';
    const t = totals(cart, SHIPPING[method].fee);
    const order = {
      id: 'AL-' + randomOrderCode(6),
      createdAt: new Date().toISOString(),
      email: info.email || '',
      firstName: info.firstName || '',
      items: cart.items,
      coupon: t.discount ? cart.discount : null,
      subtotal: t.subtotal,
      discount: t.discount,
      shippingMethod: method,
      shipping: t.shipping,
      tax: t.tax,
      total: t.total,
      currency: CURRENCY,
      shipTo: method === 'pickup' ? null : { address1: info.address1, postcode: info.postcode, city: info.city, country: info.country },
    };
    save(KEY.orders, [order].concat(load(KEY.orders, [])).slice(0, 20));
    save(KEY.lastOrder, order);
    setCart({ items: [], discount: null });
    return order;
  }

  function initCheckout() {
    const step = document.body.getAttribute('data-parcours-checkout-step');
    if (!step) return;
    const cart = getCart();
    if (!cart.items.length) {
      $('#checkout').hidden = true;
      $('#checkout-empty').hidden = false;
      return;
    }
    const info = load(KEY.checkout, {});
    const saveInfo = (values) => save(KEY.checkout, Object.assign(info, values));
    renderRecap(info);

    if (step === 'contact') {
      const form = $('#contact-form');
      renderSummary(cart, null);
      fillForm(form, { email: info.email, firstName: info.firstName, lastName: info.lastName, marketing: info.marketing });
      onValidSubmit(form, (data) => {
        saveInfo({
          email: String(data.get('email')).trim(),
          firstName: String(data.get('firstName')).trim(),
          lastName: String(data.get('lastName')).trim(),
          marketing: data.get('marketing') === 'yes',
        });
        go('/checkout/shipping', form);
      });
    }

    if (step === 'shipping') {
      const form = $('#shipping-form');
      fillForm(form, { address1: info.address1, address2: info.address2, postcode: info.postcode, city: info.city, country: info.country, shipping: info.shipping });
      const chosen = () => (SHIPPING[form.elements.shipping.value] ? form.elements.shipping.value : 'colissimo');
      renderSummary(cart, chosen());
      // A different method changes the fee and the total right away, in the summary next to the form.
      $$('input[name="shipping"]', form).forEach((radio) => radio.addEventListener('change', () => {
        saveInfo({ shipping: chosen() });
        renderSummary(cart, chosen());
        flash($('#summary-shipping'), 'fee-changed');
        flash($('#summary-total'), 'fee-changed');
      }));
      onValidSubmit(form, (data) => {
        saveInfo({
          address1: String(data.get('address1')).trim(),
          address2: String(data.get('address2')).trim(),
          postcode: String(data.get('postcode')).trim(),
          city: String(data.get('city')).trim(),
          country: String(data.get('country')),
          shipping: chosen(),
        });
        go('/checkout/payment', form);
      });
    }

    if (step === 'payment') {
      const form = $('#payment-form');
      renderSummary(cart, SHIPPING[info.shipping] ? info.shipping : 'colissimo');
      // Card fields are only validated by the browser; the shop never reads or stores them.
      onValidSubmit(form, () => {
        placeOrder(getCart(), info);
        go('/checkout/thank-you', form);
      });
    }
  }

  // ------------------------------------------------------------------ after the purchase

  function initThankYou() {
    const box = $('#confirmation');
    if (!box) return;
    const order = load(KEY.lastOrder, null);
    if (!order || !order.id || !Array.isArray(order.items)) {
      $('#no-order').hidden = false;
      return;
    }
    if (!order.confirmedAt) {
      // First view: make sure the cart is empty (placeOrder already did it; this covers a lost write). A reload
      // shows the same order and leaves a cart started since then alone.
      setCart({ items: [], discount: null });
      order.confirmedAt = new Date().toISOString();
      save(KEY.lastOrder, order);
    }
    box.hidden = false;
    box.setAttribute('data-parcours-order-id', order.id);
    box.setAttribute('data-parcours-revenue', attrNumber(order.total));
    box.setAttribute('data-parcours-tax', attrNumber(order.tax));
    box.setAttribute('data-parcours-shipping', attrNumber(order.shipping));
    box.setAttribute('data-parcours-currency', order.currency || CURRENCY);
    if (order.coupon) box.setAttribute('data-parcours-coupon', order.coupon);

    $('#order-number').textContent = order.id;
    $('#confirmation-title').textContent = order.firstName ? 'Thank you, ' + order.firstName + '!' : 'Thank you!';
    $('#confirmation-lede').textContent = 'Your order is confirmed' + (order.email ? '. We sent the details to ' + order.email + '.' : '.');
    $('#order-lines').innerHTML = order.items.map(summaryLineHtml).join('');
    renderTotals('order', { subtotal: order.subtotal, discount: order.discount, shipping: order.shipping, total: order.total, tax: order.tax }, order.coupon, order.shippingMethod);
    if (order.shippingMethod === 'pickup') {
      $('#order-next').textContent = 'We will email you as soon as your pieces are wrapped and ready to collect at the workshop, 14 rue des Tables Claudiennes, Wednesday to Saturday, 11:00–18:30.';
    } else if (order.shipTo && order.shipTo.address1) {
      const to = order.shipTo;
      $('#order-next').textContent = 'We wrap every piece in recycled paper and send it to ' + to.address1 + ', ' + to.postcode + ' ' + to.city +
        ' within two working days. You will get an email with the tracking link as soon as it leaves the workshop.';
    }
    document.title = 'Order ' + order.id + ' confirmed · Atelier Lune';
  }

  function orderCardHtml(order) {
    const shipped = Date.now() - Date.parse(order.createdAt) > SHIPPED_AFTER_MS;
    const items = order.items.map((i) => i.qty + ' × ' + i.name + ' (' + i.variant + ')').join(', ');
    const method = SHIPPING[order.shippingMethod];
    return `<li class="panel order-card">
      <div class="order-card-head">
        <h2>Order ${esc(order.id)}</h2>
        <span class="status ${shipped ? 'status-shipped' : 'status-preparing'}">${shipped ? 'Shipped' : 'Being prepared'}</span>
      </div>
      <p class="order-card-meta">Placed on ${esc(longDate(order.createdAt))}${method ? ' · ' + esc(method.label) : ''}</p>
      <p class="order-card-items">${esc(items)}</p>
      <p class="order-card-total">Total ${money(order.total)}</p>
    </li>`;
  }

  function initOrders() {
    const list = $('#order-list');
    if (!list) return;
    const orders = load(KEY.orders, []).filter((o) => o && o.id && Array.isArray(o.items));
    $('#orders-empty').hidden = orders.length > 0;
    list.innerHTML = orders.map(orderCardHtml).join('');
  }

  // ------------------------------------------------------------------ small forms

  function initSimpleForms() {
    const newsletter = $('#newsletter-form');
    if (newsletter) {
      onValidSubmit(newsletter, () => {
        newsletter.reset();
        setStatus($('[data-form-status]', newsletter), 'Merci ! Check your inbox to confirm your subscription.');
      });
    }
    const contact = $('#contact-us-form');
    if (contact) {
      onValidSubmit(contact, (data) => {
        const name = String(data.get('name')).trim().split(' ')[0];
        contact.reset();
        setStatus($('[data-form-status]', contact), 'Thank you, ' + esc(name) + '. We will answer within one working day.');
      });
    }
  }

  // ------------------------------------------------------------------ start

  renderCartCount();
  initProductPage();
  initShare();
  initReviews();
  initSort();
  initSearch();
  initCartPage();
  initCheckout();
  initThankYou();
  initOrders();
  initSimpleForms();

  // Back/forward cache restores a page as it was: refresh the cart count and re-enable a submitted form.
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    renderCartCount();
    $$('form [type="submit"]:disabled').forEach((b) => { b.disabled = false; });
  });
  // Another tab changed the cart.
  window.addEventListener('storage', (event) => {
    if (event.key === KEY.cart) renderCartCount();
  });
})();
