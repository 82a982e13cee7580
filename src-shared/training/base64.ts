// ── Base64 without Node or DOM (workers, CLI) ─────────────────────────────────────────────────────────
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CH = 3 * 16384;
  for (let s = 0; s < bytes.length; s += CH) {
    const end = Math.min(bytes.length, s + CH);
    const out = new Array<string>(Math.ceil((end - s) / 3));
    let k = 0;
    for (let i = s; i < end; i += 3) {
      const a = bytes[i];
      const b = i + 1 < end ? bytes[i + 1] : 0;
      const c = i + 2 < end ? bytes[i + 2] : 0;
      const n = (a << 16) | (b << 8) | c;
      out[k++] =
        B64[(n >> 18) & 63] +
        B64[(n >> 12) & 63] +
        (i + 1 < end ? B64[(n >> 6) & 63] : '=') +
        (i + 2 < end ? B64[n & 63] : '=');
    }
    parts.push(out.join(''));
  }
  return parts.join('');
}
const B64_INV = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();
export function base64ToBytes(s: string): Uint8Array {
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const n = (s.length / 4) * 3 - pad;
  const out = new Uint8Array(n);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const v =
      (B64_INV[s.charCodeAt(i)] << 18) |
      (B64_INV[s.charCodeAt(i + 1)] << 12) |
      ((B64_INV[s.charCodeAt(i + 2)] & 63) << 6) |
      (B64_INV[s.charCodeAt(i + 3)] & 63);
    if (o < n) out[o++] = (v >> 16) & 255;
    if (o < n) out[o++] = (v >> 8) & 255;
    if (o < n) out[o++] = v & 255;
  }
  return out;
}
