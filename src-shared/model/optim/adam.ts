import * as tf from '@tensorflow/tfjs';

// ── Adam (Keras formulation) with explicit, serializable state ──────────────────────────────────────────
export class Adam {
  step = 0;
  readonly m: Record<string, tf.Variable> = {};
  readonly v: Record<string, tf.Variable> = {};
  constructor(
    public lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-7,
  ) {}
  private slot(store: Record<string, tf.Variable>, name: string, like: tf.Tensor): tf.Variable {
    let s = store[name];
    if (!s) {
      const z = tf.zerosLike(like);
      s = store[name] = tf.variable(z, false);
      z.dispose();
    }
    return s;
  }
  apply(vars: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>): void {
    this.step++;
    const t = this.step;
    const lrT = (this.lr * Math.sqrt(1 - Math.pow(this.beta2, t))) / (1 - Math.pow(this.beta1, t));
    tf.tidy(() => {
      for (const [name, g] of Object.entries(grads)) {
        const p = vars[name];
        const m = this.slot(this.m, name, p);
        const v = this.slot(this.v, name, p);
        const m2 = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
        const v2 = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        m.assign(m2);
        v.assign(v2);
        p.assign(tf.sub(p, tf.mul(tf.div(m2, tf.add(tf.sqrt(v2), this.eps)), lrT)));
      }
    });
  }
  dispose(): void {
    for (const s of [...Object.values(this.m), ...Object.values(this.v)]) s.dispose();
  }
}
