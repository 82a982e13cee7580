/** Messages between the page and a pose worker (pose.worker.ts). */
import type { PoseModelVariant } from '../../src-shared/keypoints/format';
import type { ClipPose } from './clip-detect';
import type { Landmark } from '../../src-shared/keypoints/format';
import type { PoseAssets } from './shared-assets';

export type ToPoseWorker =
  /** `assets`: the compiled wasm and the model's bytes, loaded once by the page for every worker (shared-assets.ts). */
  | { type: 'init'; variant: PoseModelVariant; wasmBase: string; modelBase: string; assets?: PoseAssets }
  | { type: 'clip'; id: number; urls: string[]; timestampsMs: number[] }
  /** Everyone in each frame, up to two (the two-people check): IMAGE mode on the worker's landmarker. */
  | { type: 'people'; id: number; urls: string[] }
  /** Stop clip or check `id` (queued or running): it ends with 'clip-failed'. */
  | { type: 'cancel'; id: number }
  /** One live frame (transferred); `timestampMs` increases per worker. */
  | { type: 'frame'; id: number; image: ImageBitmap; timestampMs: number };

export type FromPoseWorker =
  | { type: 'ready'; delegate: 'GPU' | 'CPU'; delegateReason: string }
  | { type: 'init-failed'; message: string }
  | ({ type: 'clip'; id: number } & ClipPose)
  | { type: 'clip-failed'; id: number; message: string }
  /** One more frame of clip `id` is done (progress). */
  | { type: 'clip-frame'; id: number }
  | { type: 'people'; id: number; poses: Landmark[][][] }
  | { type: 'frame'; id: number; landmarks: Landmark[] | null; detectMs: number }
  | { type: 'frame-failed'; id: number; message: string };
