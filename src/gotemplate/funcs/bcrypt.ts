// bcrypt ($2a$, as golang.org/x/crypto/bcrypt generates it) on a small Blowfish. Node has no
// bcrypt, and the Blowfish constants are the hex digits of π, computed once on first use.

let piWords: Uint32Array | undefined;

/** The first n 32-bit words of π's fractional part (Machin's formula in BigInt fixed point). */
function piFraction(n: number): Uint32Array {
  const bits = BigInt(n * 32 + 64);
  const one = 1n << bits;
  const atanInv = (x: bigint) => {
    let sum = 0n;
    let term = one / x;
    const x2 = x * x;
    let k = 1n;
    let sign = 1n;
    while (term !== 0n) {
      sum += (sign * term) / k;
      term /= x2;
      k += 2n;
      sign = -sign;
    }
    return sum;
  };
  const pi = 16n * atanInv(5n) - 4n * atanInv(239n);
  let frac = (pi - 3n * one) >> 64n; // n*32 bits of fraction
  const out = new Uint32Array(n);
  for (let i = n - 1; i >= 0; i--) {
    out[i] = Number(frac & 0xffffffffn);
    frac >>= 32n;
  }
  return out;
}

class Blowfish {
  p: Uint32Array;
  s: Uint32Array; // 4 × 256

  constructor() {
    piWords ??= piFraction(18 + 1024);
    this.p = piWords.slice(0, 18);
    this.s = piWords.slice(18);
  }

  encrypt(l: number, r: number): [number, number] {
    const p = this.p;
    const s = this.s;
    let xl = l ^ p[0]!;
    let xr = r;
    for (let i = 1; i <= 16; i += 2) {
      xr ^= ((((s[xl >>> 24]! + s[256 + ((xl >>> 16) & 0xff)]!) ^ s[512 + ((xl >>> 8) & 0xff)]!) + s[768 + (xl & 0xff)]!) ^ p[i]!);
      xl ^= ((((s[xr >>> 24]! + s[256 + ((xr >>> 16) & 0xff)]!) ^ s[512 + ((xr >>> 8) & 0xff)]!) + s[768 + (xr & 0xff)]!) ^ p[i + 1]!);
      xr >>>= 0;
      xl >>>= 0;
    }
    xr = (xr ^ p[17]!) >>> 0;
    return [xr, xl >>> 0];
  }

  expand(key: Uint8Array, salt?: Uint8Array) {
    let j = 0;
    const word = (b: Uint8Array, at: { j: number }) => {
      let d = 0;
      for (let k = 0; k < 4; k++) {
        d = ((d << 8) | b[at.j]!) >>> 0;
        at.j++;
        if (at.j >= b.length) at.j = 0;
      }
      return d;
    };
    const kj = { j };
    for (let i = 0; i < 18; i++) this.p[i] = (this.p[i]! ^ word(key, kj)) >>> 0;
    const sj = { j: 0 };
    let l = 0;
    let r = 0;
    const next = () => {
      if (salt) {
        l = (l ^ word(salt, sj)) >>> 0;
        r = (r ^ word(salt, sj)) >>> 0;
      }
      [l, r] = this.encrypt(l, r);
    };
    for (let i = 0; i < 18; i += 2) {
      next();
      this.p[i] = l;
      this.p[i + 1] = r;
    }
    for (let i = 0; i < 1024; i += 2) {
      next();
      this.s[i] = l;
      this.s[i + 1] = r;
    }
    j = kj.j;
  }
}

const alphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function bcryptBase64(b: Uint8Array): string {
  return Buffer.from(b).toString('base64').replace(/=+$/, '').replace(/[A-Za-z0-9+/]/g, (c) => alphabet['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.indexOf(c)]!);
}

const magic = Buffer.from('OrpheanBeholderScryDoubt');

/** bcrypt hash of password with a 16-byte salt at the given cost. */
export function bcryptHash(password: Uint8Array, salt: Uint8Array, cost = 10): string {
  const key = new Uint8Array(password.length + 1);
  key.set(password);
  const c = new Blowfish();
  c.expand(key, salt);
  const rounds = 1 << cost;
  for (let i = 0; i < rounds; i++) {
    c.expand(key);
    c.expand(salt);
  }
  const data = new Uint32Array(6);
  for (let i = 0; i < 6; i++) data[i] = magic.readUInt32BE(i * 4);
  for (let i = 0; i < 6; i += 2) {
    let l = data[i]!;
    let r = data[i + 1]!;
    for (let j = 0; j < 64; j++) [l, r] = c.encrypt(l, r);
    data[i] = l;
    data[i + 1] = r;
  }
  const out = Buffer.alloc(24);
  for (let i = 0; i < 6; i++) out.writeUInt32BE(data[i]!, i * 4);
  return `$2a$${String(cost).padStart(2, '0')}$${bcryptBase64(salt)}${bcryptBase64(out.subarray(0, 23))}`;
}
