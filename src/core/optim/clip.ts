import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradients scaled so that their global L2 norm is at most `maxNorm`, as
 * torch.nn.utils.clip_grad_norm_: scale = min(1, maxNorm / (‖g‖ + 1e-6)). With `perMember`
 * the first axis of every gradient indexes members of a population and each member is
 * clipped by its own norm. Returns new tensors; the caller disposes them.
 */
export function clipByGlobalNorm(grads: tf.Tensor[], maxNorm: number, perMember = false): tf.Tensor[] {
  return tf.tidy(() => {
    const squares = grads.map((g) =>
      perMember ? tf.sum(tf.reshape(tf.square(g), [g.shape[0], -1]), 1) : tf.sum(tf.square(g)),
    );
    const norm = tf.sqrt(tf.addN(squares));
    const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
    return grads.map((g) => {
      const s = perMember ? tf.reshape(scale, [g.shape[0], ...g.shape.slice(1).map(() => 1)]) : scale;
      return tf.mul(g, s);
    });
  });
}
