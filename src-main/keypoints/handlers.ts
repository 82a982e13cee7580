/** The keypoint calls: which videos still need pose, their sampled frames for the renderer, the keypoint cache. */
import { join } from 'node:path';
import { ApiError } from '../../src-shared/api/errors';
import type { ApiName } from '../../src-shared/api/contract';
import { DEFAULT_NUM_FRAMES, type PoseModelVariant } from '../../src-shared/keypoints/format';
import type { AppContext, Feature } from '../app-context';
import { clearCachedFrames, sampleFramesToDir, sampleFrameSetsToDir } from '../media/frame-cache';
import { isMediaError } from '../media/errors';
import { mediaUrlPath } from '../media-protocol';
import type { VideoProbe } from '../../src-shared/media/types';

type KeypointCalls = Extract<ApiName, `keypoints.${string}`>;

/** How pose frames are sampled: `keypoints.prepare` and `presampleFrames` must agree, or the cache misses. */
const POSE_FRAMES = { maxSide: 640, format: 'jpeg' } as const;

/**
 * Sample several frame counts of a video (the model's N and the dense rep frames) in one decode, into the cache
 * `keypoints.prepare` reads: `form-studio score` starts this while Chromium and the pose model start, and the
 * page's prepare calls then find (or wait for) the same frames.
 */
export async function presampleFrames(ctx: AppContext, videoId: number, counts: number[]): Promise<void> {
  ctx.requireVideo(videoId);
  await presampleFile(ctx, ctx.videoFile(videoId), counts);
}

/** The same for a file not imported yet (the cache is keyed by content, so the imported copy finds them). */
export async function presampleFile(
  ctx: AppContext,
  file: string,
  counts: number[],
  probe?: VideoProbe,
): Promise<void> {
  await sampleFrameSetsToDir(file, join(ctx.paths.cache, 'frames'), counts, { ...POSE_FRAMES, probe });
}

export function createKeypointsFeature(ctx: AppContext): Feature<KeypointCalls> {
  return {
    handlers: {
      'keypoints.pending': async ({ numFrames, variant, videoIds, force }) => {
        const n = numFrames ?? DEFAULT_NUM_FRAMES;
        const v = (variant ?? ctx.store.poseVariant()) as PoseModelVariant;
        const rows = videoIds ? ctx.store.rowsByIds(videoIds) : ctx.store.listRows();
        // "No cache" re-samples the frames too (a bad frame set must not survive a forced re-extraction).
        if (force)
          for (const r of rows)
            if (r.contentHash) await clearCachedFrames(join(ctx.paths.cache, 'frames'), r.contentHash);
        return rows
          .filter((r) => r.status === 'ok' && r.contentHash)
          .filter((r) => force || !ctx.keypoints.has({ contentHash: r.contentHash!, numFrames: n, variant: v }))
          .map((r) => r.id);
      },
      'keypoints.prepare': async ({ videoId, numFrames }) => {
        const row = ctx.requireVideo(videoId);
        const file = ctx.videoFile(row.id);
        const n = numFrames ?? DEFAULT_NUM_FRAMES;
        try {
          const frames = await sampleFramesToDir(file, join(ctx.paths.cache, 'frames'), { n, ...POSE_FRAMES });
          const rel = frames.dir
            .slice(ctx.paths.cache.length + 1)
            .split(/[\\/]/)
            .join('/');
          return {
            videoId,
            contentHash: frames.contentHash,
            numFrames: n,
            timestamps: frames.timestamps,
            frameUrls: frames.files.map((f) => mediaUrlPath('cache', `${rel}/${f}`)),
            width: frames.width,
            height: frames.height,
          };
        } catch (err) {
          if (isMediaError(err)) throw new ApiError('bad_input', `${row.relPath}: ${err.message}`);
          throw err;
        }
      },
      'keypoints.save': ({ videoId, numFrames, variant, timestamps, frames, world, error, note }) => {
        const row = ctx.requireVideo(videoId);
        if (!row.contentHash) throw new ApiError('conflict', `${row.relPath} has no content hash yet; import it again`);
        const summary = ctx.keypoints.save(
          { contentHash: row.contentHash, numFrames, variant },
          error ? null : { numFrames, variant, timestamps, frames, world: world ?? null },
          error,
          note,
        );
        ctx.emit({ type: 'videos.changed', videoIds: [videoId] });
        return summary;
      },
      'keypoints.get': ({ videoId, numFrames, variant }) => {
        const row = ctx.requireVideo(videoId);
        if (!row.contentHash) return null;
        const kp = ctx.keypoints.get({
          contentHash: row.contentHash,
          numFrames: numFrames ?? DEFAULT_NUM_FRAMES,
          variant: (variant ?? ctx.store.poseVariant()) as PoseModelVariant,
        });
        if (!kp || kp.status !== 'ok') return null;
        return {
          numFrames: kp.numFrames,
          variant: kp.variant,
          timestamps: kp.timestamps,
          frames: kp.frames,
          world: kp.world,
          note: kp.message,
        };
      },
      'keypoints.clear': () => {
        const removed = ctx.keypoints.clear();
        ctx.emit({ type: 'videos.changed', videoIds: 'all' });
        return { removed };
      },
    },
  };
}
