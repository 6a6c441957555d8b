/** The shop's own state: a tiny catalogue, the cart, the signed-in customer and the last order, in localStorage. */

export interface Item {
  id: string;
  name: string;
  price: number;
  image: string;
  meta: string;
  lede: string;
}

export const CATALOGUE: Item[] = [
  { id: 'moon-bowl', name: 'Moon Bowl', price: 34, image: '/img/moon-bowl-oat.svg', meta: 'Stoneware · Bowls', lede: 'A deep, generous bowl for porridge, ramen or a big winter salad, thrown on the wheel from speckled stoneware.' },
  { id: 'tide-mug', name: 'Tide Mug', price: 28, image: '/img/tide-mug-seafoam.svg', meta: 'Stoneware · Mugs', lede: 'A 300 ml mug with a thumb rest, glazed in the colours of the Atlantic at low tide.' },
  { id: 'linen-apron', name: 'Linen Work Apron', price: 56, image: '/img/linen-apron-natural.svg', meta: 'Washed linen · Aprons', lede: 'Heavy washed linen, crossed straps and two deep pockets: the apron we wear in the workshop.' },
  { id: 'bud-vase', name: 'Bud Vase', price: 24, image: '/img/bud-vase-moonstone.svg', meta: 'Stoneware · Vases', lede: 'A small vase for one stem from the market, with a narrow neck that holds it upright.' },
];
export const SHIPPING = 4.9;
export const CURRENCY = 'EUR';

export const item = (id: string) => CATALOGUE.find((i) => i.id == id);
export const money = (n: number) => new Intl.NumberFormat('fr-FR', { style: 'currency', currency: CURRENCY }).format(n);

export interface Line {
  item: Item;
  qty: number;
}
export interface Order {
  id: string;
  lines: Line[];
  shipping: number;
  total: number;
  /** VAT included in the total (20 %). */
  tax: number;
}

const read = (key: string): any => {
  try {
    return JSON.parse(localStorage.getItem('storefront:' + key) || 'null');
  } catch {
    return null;
  }
};
const write = (key: string, value: unknown) => localStorage.setItem('storefront:' + key, JSON.stringify(value));

/** Cart lines, kept as `[id, qty]` pairs; ids the catalogue does not know are dropped. */
export const cart = (): Line[] =>
  ((read('cart') || []) as [string, number][]).flatMap(([id, qty]) => (item(id) ? [{ item: item(id)!, qty: +qty || 1 }] : []));
const saveCart = (lines: Line[]) => write('cart', lines.map((l) => [l.item.id, l.qty]));

export const addToCart = (id: string) => {
  const lines = cart();
  const line = lines.find((l) => l.item.id == id);
  if (line) line.qty++;
  else if (item(id)) lines.push({ item: item(id)!, qty: 1 });
  saveCart(lines);
};
export const removeFromCart = (id: string) => saveCart(cart().filter((l) => l.item.id != id));
export const subtotal = (lines: Line[]) => lines.reduce((sum, l) => sum + l.item.price * l.qty, 0);

/** Turn the cart into an order (nothing is charged) and empty the cart. */
export const placeOrder = (): Order => {
  const lines = cart();
  const total = subtotal(lines) + SHIPPING;
  const order = { id: 'SF-' + String(Math.floor(Math.random() * 1e6)).padStart(6, '0'), lines, shipping: SHIPPING, total, tax: total - total / 1.2 };
  write('order', { ...order, lines: lines.map((l) => [l.item.id, l.qty]) });
  saveCart([]);
  return order;
};
export const lastOrder = (): Order | undefined => {
  const o = read('order');
  return o && { ...o, lines: (o.lines as [string, number][]).flatMap(([id, qty]) => (item(id) ? [{ item: item(id)!, qty }] : [])) };
};

/** A fake sign-in: every visitor is Camille, customer cus_1042. */
export const customer = (): { id: string; name: string } | null => read('customer');
export const signIn = () => {
  const who = { id: 'cus_1042', name: 'Camille' };
  write('customer', who);
  return who;
};
