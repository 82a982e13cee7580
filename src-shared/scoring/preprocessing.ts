/**
 * The model's input contract as data: the `preprocessing` block of the exported TFLite's "form_studio" metadata.
 * It states, in machine-readable form, every step between MediaPipe's landmarks and the model input, exactly as
 * src-shared/keypoints/normalize.ts (normalizeFrames) and model-input.ts do them. A unit test re-implements the
 * steps from this block alone and must get the app's model input bit for bit; change both together.
 */
import { LANDMARK_NAMES, LM } from '../keypoints/format';

export interface PreprocessingOutputs {
  numFrames: number;
  scoreActivation: 'sigmoid' | 'linear';
  scoreScale: number;
  /** Class names of the exercise head, in output order ([] without one). */
  exerciseLabels: readonly string[];
  /** The classes the model was trained on (the head is masked to them); null/absent = no mask. */
  trainedExercises?: readonly string[] | null;
}

export function preprocessingBlock(o: PreprocessingOutputs): Record<string, unknown> {
  const N = o.numFrames;
  return {
    version: 1,
    input: {
      name: 'keypoints',
      shape: [1, N, 132],
      dtype: 'float32',
      layout:
        'frame-major; per frame the 33 landmarks in `landmarks` order, each (x, y, z, visibility): index = frame·132 + landmark·4 + component',
      landmarks: [...LANDMARK_NAMES],
    },
    landmarkSource:
      'MediaPipe Pose Landmarker (BlazePose, 33 landmarks), image coordinates: x and y normalized to 0–1 by the frame width and height, z on the scale of x, visibility 0–1',
    frameSampling: {
      frames: N,
      rule: 'take N frames at the centres of N equal segments of the clip: frame j (0-based) at time (j + 0.5) · duration / N',
      resample: {
        when: 'the landmarks come as M ≠ N frames (already normalized as below, missing frames as zeros)',
        position:
          'p = clamp((j + 0.5) · M / N − 0.5, 0, M − 1); i0 = floor(p); i1 = min(M − 1, i0 + 1); w = p − i0; nearest = i0 if w < 0.5 else i1',
        rule: 'nearest missing → frame j missing; both present → x[i0]·(1 − w) + x[i1]·w; else copy the nearest frame',
      },
    },
    validFrame:
      'exactly 33 landmarks with finite x, y, z and visibility; any other frame (no person detected) is missing',
    missingFrame: { value: 0, rule: 'a missing frame is 132 zeros, visibility included (no separate mask input)' },
    aspectRatio: {
      definition: 'video width / height',
      appliesTo: ['x'],
      rule: 'every x is multiplied by the aspect ratio before centring, scaling and measuring (z and y are not)',
    },
    hipCentre: {
      landmarks: [LM.left_hip, LM.right_hip],
      rule: 'per frame, subtract the midpoint of the two hips: cx = (x23 + x24)/2 · aspectRatio, cy = (y23 + y24)/2, cz = (z23 + z24)/2',
    },
    scale: {
      perClip: true,
      appliesTo: ['x', 'y', 'z'],
      rule: 'one divisor per clip: x′ = (x·aspectRatio − cx)/s, y′ = (y − cy)/s, z′ = (z − cz)/s',
      minimum: 1e-3,
      torso: {
        shoulders: [LM.left_shoulder, LM.right_shoulder],
        hips: [LM.left_hip, LM.right_hip],
        rule: 'per valid frame, the x-y distance (x × aspectRatio) from the shoulder midpoint to the hip midpoint; keep those > minimum; s = their median (mean of the two middle values for an even count)',
        usedWhen: '2 × (number of kept torsos) ≥ number of kept diagonals, and at least one torso was kept',
      },
      fallbacks: [
        {
          name: 'bodyDiagonal',
          factor: 0.5,
          rule: 's = factor × the median over valid frames of the diagonal of the landmarks’ bounding box (x × aspectRatio, y), keeping diagonals > minimum',
        },
        { name: 'constant', value: 1, rule: 's = 1 when no frame is valid' },
      ],
    },
    visibility: { rule: 'copied unchanged: not centred, not scaled' },
    output: {
      score:
        o.scoreActivation === 'sigmoid'
          ? {
              activation: 'sigmoid',
              scale: o.scoreScale,
              range: [0, o.scoreScale],
              rule: `score = ${o.scoreScale} · sigmoid(logit)`,
            }
          : {
              activation: 'linear',
              scale: o.scoreScale,
              rule: `score = ${o.scoreScale} · logit (the app shows it clamped to 0–100)`,
            },
      exercise: o.exerciseLabels.length
        ? {
            activation: 'softmax',
            classes: [...o.exerciseLabels],
            ...(o.trainedExercises?.length
              ? {
                  trainedClasses: [...o.trainedExercises],
                  rule: 'the detected exercise is the trained class (trainedClasses) with the largest probability; its confidence is that probability divided by the sum over the trained classes (the other classes had no training examples)',
                }
              : { rule: 'the detected exercise is the class with the largest probability' }),
          }
        : null,
    },
  };
}
