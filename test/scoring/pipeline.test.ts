/**
 * The one scoring pipeline on real keypoints (the reference landmarks of fixtures/videos/tfjs_pose_squats.mp4):
 * the clip score is the model on exactly the training input, the exercise head is masked to the trained classes,
 * batching does not change a result, and each rep's score is the model's score of that rep's own frames.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../support/fixtures';
import { initTfNode } from '../../src-main/models/tf-node';
import { ScoringModel, standardModel } from '../../src-shared/model';
import { keypointsToInput } from '../../src-shared/training/samples';
import { interpretOutputs } from '../../src-shared/scoring/clip-score';
import {
  repWindow,
  scoreClip,
  scoreInputs,
  scoreRepWindows,
  scoreVideo,
  type ClipModel,
} from '../../src-shared/scoring/pipeline';
import { modelInput } from '../../src-shared/scoring/model-input';
import { repFrameRange } from '../../src-shared/reps/score';
import { flattenFrame, unflattenFrame } from '../../src-shared/keypoints/stored';
import { EXERCISE_TYPES } from '../../src-shared/domain/exercises';

// 65 frames at 5 fps of a 720×1280 portrait clip, landmarks in pixels → the app's flattened frames.
const ref = JSON.parse(readFileSync(fixture('pose-reference', 'pose_squats.full.json'), 'utf8')) as number[][][];
const dense = ref.map((f) => f.flatMap(([x, y, z]) => [x / 720, y / 1280, z / 720, 0.99]));
const timestamps = dense.map((_, i) => i / 5);
const ASPECT = 720 / 1280;
const modelFrames = Array.from({ length: 24 }, (_, i) => dense[Math.floor(((i + 0.5) * dense.length) / 24)]);

let model: ScoringModel;
const calls: number[] = [];
function clipModel(extra: Partial<ClipModel> = {}): ClipModel {
  return {
    numFrames: 24,
    hasExerciseHead: true,
    classes: {},
    run: (xs) => (calls.push(xs.length), model.predict(xs, 16)),
    ...extra,
  };
}

beforeAll(async () => {
  await initTfNode();
  model = ScoringModel.create(standardModel(24), 11);
});

describe('scoring pipeline (src-shared/scoring)', () => {
  it('scores a clip on exactly the input training builds, and says when there is no person', async () => {
    const r = await scoreClip(clipModel(), modelFrames, ASPECT);
    const x = keypointsToInput({ frames: modelFrames } as never, 24, ASPECT);
    const direct = model.predict([x]);
    expect(r.score).toBeCloseTo(Math.min(100, Math.max(0, direct.scores[0])), 4);
    expect(r.exercise).toBe(interpretOutputs(direct.scores[0], direct.exerciseProbs![0]).exercise);
    expect(r.latencyMs).toBeGreaterThan(0);
    await expect(scoreClip(clipModel(), new Array(24).fill(null))).rejects.toThrow(/No pose detected/);
  });

  it('masks the exercise head to the trained classes, renormalised', async () => {
    const trained = ['squat', 'pushup'];
    const probs = model.predict([modelInput({ frames: modelFrames }, 24, ASPECT)]).exerciseProbs![0];
    const r = await scoreClip(clipModel({ classes: { trained } }), modelFrames, ASPECT);
    const [sq, pu] = trained.map((t) => probs[EXERCISE_TYPES.indexOf(t as never)]);
    expect(r.exercise).toBe(sq >= pu ? 'squat' : 'pushup');
    expect(r.confidence).toBeCloseTo(Math.max(sq, pu) / (sq + pu), 5);
    const unmasked = await scoreClip(clipModel(), modelFrames, ASPECT);
    expect(unmasked.confidence).toBeCloseTo(Math.max(...probs), 5);
  });

  it('gives the same results whatever the batch size', async () => {
    const xs = [0, 5, 10, 20, 30, 41].map((o) => modelInput({ frames: dense.slice(o, o + 24) }, 24, ASPECT));
    calls.length = 0;
    const whole = await scoreInputs(clipModel(), xs);
    expect(calls).toEqual([6]);
    calls.length = 0;
    const batched = await scoreInputs(clipModel({ batchSize: 4 }), xs);
    expect(calls).toEqual([4, 2]);
    expect(batched.map((b) => b.score)).toEqual(whole.map((w) => w.score).map((s) => expect.closeTo(s, 4)));
    expect(batched.map((b) => b.exercise)).toEqual(whole.map((w) => w.exercise));
  });

  it('counts the squats and scores each rep on its own frames', async () => {
    const cm = clipModel();
    const { clip, report } = await scoreVideo(cm, {
      modelFrames,
      frames: dense.map(unflattenFrame),
      timestampsSec: timestamps,
      aspect: ASPECT,
      exercise: 'squat',
    });
    expect(clip.score).toBeCloseTo((await scoreClip(cm, modelFrames, ASPECT)).score, 4);
    expect(report.exerciseSource).toBe('chosen');
    expect(report.count).toBeGreaterThanOrEqual(2);
    for (const rep of report.reps) {
      const [from, to] = repFrameRange(rep, timestamps);
      // (the report hands windows over as landmarks: flattened again, at the stored precision)
      const own = await scoreClip(
        cm,
        dense.slice(from, to).map((f) => flattenFrame(unflattenFrame(f))),
        ASPECT,
      );
      expect(rep.score).toBeCloseTo(Math.round(own.score * 10) / 10, 6); // the report keeps one decimal
    }
    const mean = report.reps.reduce((a, r) => a + r.score!, 0) / report.count;
    expect(report.setScore).toBeCloseTo(mean, 1);
  });

  it('scores all rep windows in one model call, each as a call of its own would', async () => {
    const cm = clipModel();
    calls.length = 0;
    const { report } = await scoreVideo(cm, {
      modelFrames,
      frames: dense.map(unflattenFrame),
      timestampsSec: timestamps,
      aspect: ASPECT,
      exercise: 'squat',
    });
    expect(calls).toEqual([1, report.count]); // the clip, then every rep in one batch
    // Windows as the report cuts them, plus one with nobody in it (no score, not sent to the model).
    const windows = report.reps.map((r) => {
      const [from, to] = repFrameRange(r, timestamps);
      return dense.slice(from, to).map(unflattenFrame);
    });
    windows.push(new Array(12).fill(null));
    calls.length = 0;
    const batched = await scoreRepWindows(cm, windows, ASPECT);
    expect(calls).toEqual([report.count]);
    expect(batched.at(-1)).toBeNull();
    for (const [i, w] of windows.slice(0, -1).entries()) {
      const alone = await scoreClip(cm, repWindow(w).map(flattenFrame), ASPECT);
      expect(batched[i]).toBeCloseTo(alone.score, 4);
      expect(report.reps[i].score).toBe(Math.round(batched[i]! * 10) / 10);
    }
  });
});
