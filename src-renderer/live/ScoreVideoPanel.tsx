/**
 * Score a video file (the toolkit's test_model.py): keypoints (cached unless "no cache"), the chosen model's
 * score, band, exercise and confidence, the video playing with its skeleton, and a rep-by-rep timeline.
 */
import { useEffect, useRef, useState } from 'react';
import { useApp } from '../app/store';
import { api, mediaUrl } from '../api/client';
import { useExtraction } from '../pose/extraction-store';
import { drawPose } from '../pose/draw';
import { unflattenFrame, type StoredKeypoints } from '../../src-shared/keypoints/stored';
import type { RepReport } from '../../src-shared/reps/report';
import { ScoreBadge } from './ScoreBadge';
import { defaultModel } from '../../src-shared/domain/default-model';
import { EXERCISE_DISPLAY_NAMES } from '../../src-shared/domain/exercises';
import type { ModelInfo } from '../../src-shared/api/models-contract';
import type { ClipScore } from '../../src-shared/scoring/clip-score';
import { RepTimeline } from './RepTimeline';
import { CueSummary } from '../cues/CueSettingsPanel';
import { CueSettingsSection } from '../cues/CueSettingsSection';

/** Frames per second of video used for rep counting (reps need denser sampling than the model's 24 frames). */
const REP_FPS = 5;

export function ScoreVideoPanel() {
  const { rows } = useApp();
  const videos = rows.filter((r) => r.status === 'ok');
  const [videoId, setVideoId] = useState<number | null>(videos[0]?.id ?? null);
  const [models, setModels] = useState<ModelInfo[]>([]);
  const [modelId, setModelId] = useState<number | null>(null);
  const [noCache, setNoCache] = useState(false);
  const [step, setStep] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ClipScore | null>(null);
  const [dense, setDense] = useState<StoredKeypoints | null>(null);
  const [report, setReport] = useState<RepReport | null>(null);
  /** Warnings saved with the keypoints (two people in frame…). */
  const [notes, setNotes] = useState<string[]>([]);
  const videoRef = useRef<HTMLVideoElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    void api.call('models.list', {}).then((m) => {
      setModels(m);
      setModelId((id) => id ?? defaultModel(m)?.id ?? null);
    });
  }, []);
  useEffect(() => {
    if (videoId === null && videos[0]) setVideoId(videos[0].id);
  }, [videos, videoId]);

  // Draw the nearest extracted frame's skeleton over the playing video.
  useEffect(() => {
    const video = videoRef.current;
    const canvas = canvasRef.current;
    if (!video || !canvas || !dense) return;
    let raf = 0;
    const ctx = canvas.getContext('2d')!;
    const draw = () => {
      if (video.videoWidth && (canvas.width !== video.videoWidth || canvas.height !== video.videoHeight)) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
      }
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      const t = video.currentTime;
      let best = 0;
      for (let i = 1; i < dense.timestamps.length; i++)
        if (Math.abs(dense.timestamps[i] - t) < Math.abs(dense.timestamps[best] - t)) best = i;
      const frame = unflattenFrame(dense.frames[best] ?? null);
      if (frame) drawPose(ctx, frame);
      raf = requestAnimationFrame(draw);
    };
    raf = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(raf);
  }, [dense]);

  const extract = async (id: number, numFrames: number, force: boolean) => {
    await useExtraction.getState().start({ videoIds: [id], numFrames, force });
    const err = useExtraction.getState().error;
    if (err) throw new Error(err);
    return api.call('keypoints.get', { videoId: id, numFrames });
  };

  const run = async () => {
    if (videoId === null) return;
    const row = rows.find((r) => r.id === videoId)!;
    setError(null);
    setResult(null);
    setDense(null);
    setReport(null);
    setNotes([]);
    const addNote = (n: string | null) => n && setNotes((xs) => (xs.includes(n) ? xs : [...xs, n]));
    try {
      const model = models.find((m) => m.id === modelId);
      if (!model) throw new Error('No model yet: train one in Training, or import a .tflite in Models.');
      const n = model.numFrames ?? 24;
      setStep(`Extracting ${n} frames of keypoints…`);
      const kp = await extract(videoId, n, noCache);
      if (!kp)
        throw new Error(
          'No pose detected in this video. Make sure the person is clearly visible, well lit, fully in frame and facing the camera or side-on.',
        );
      addNote(kp.note);
      setStep('Scoring…');
      const aspect = row.width && row.height ? row.width / row.height : 1;
      const score = await api.call('models.predict', { modelId: model.id, frames: kp.frames, aspectRatio: aspect });
      setResult(score);
      const m = Math.max(24, Math.min(10_000, Math.round((row.durationSec ?? 10) * REP_FPS)));
      setStep(`Counting reps (${m} frames)…`);
      const d = await extract(videoId, m, noCache);
      if (!d)
        throw new Error(
          'No pose detected in the frames used for counting reps: make sure the whole body is in frame and well lit.',
        );
      addNote(d.note);
      setDense(d);
      // The clip's label wins; otherwise the model's confident guess, else the movement itself (main builds it: the API's structure).
      const { report: r } = await api.call('models.repReport', { modelId: model.id, videoId, numFrames: m });
      setReport(r);
      void videoRef.current?.play().catch(() => undefined);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setStep(null);
    }
  };

  return (
    <div className="score-video" data-testid="score-video">
      <div className="toolbar">
        <select
          aria-label="Video to score"
          value={videoId ?? ''}
          onChange={(e) => setVideoId(Number(e.target.value))}
          data-testid="score-video-select"
        >
          {videos.length === 0 ? <option value="">No videos: import some in Library</option> : null}
          {videos.map((v) => (
            <option key={v.id} value={v.id}>
              {v.relPath}
            </option>
          ))}
        </select>
        <select aria-label="Model" value={modelId ?? ''} onChange={(e) => setModelId(Number(e.target.value))}>
          {models.length === 0 ? <option value="">No model</option> : null}
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
        <label>
          <input type="checkbox" checked={noCache} onChange={(e) => setNoCache(e.target.checked)} /> No cache
          (re-extract)
        </label>
        <button
          className="primary"
          disabled={videoId === null || step !== null}
          onClick={() => void run()}
          data-testid="score-video-run"
        >
          {step ?? 'Score video'}
        </button>
      </div>
      {error ? (
        <div className="empty error" role="alert" data-testid="score-video-error">
          <p>{error}</p>
        </div>
      ) : null}
      <div className="live-stage">
        <div className="live-video-wrap">
          {videoId !== null ? (
            <video ref={videoRef} className="live-video" src={mediaUrl('video', videoId)} controls muted playsInline />
          ) : null}
          <canvas ref={canvasRef} className="live-overlay" style={{ pointerEvents: 'none' }} />
        </div>
        <aside className="live-panel">
          <ScoreBadge score={result?.score ?? null} decimals={2} testId="file-score" placeholder="Press Score video" />
          <dl>
            <dt>Exercise</dt>
            <dd data-testid="file-exercise">{result?.exercise ? EXERCISE_DISPLAY_NAMES[result.exercise] : '—'}</dd>
            <dt>Confidence</dt>
            <dd>{result?.confidence != null ? `${(result.confidence * 100).toFixed(1)}%` : '—'}</dd>
          </dl>
          <p className="muted" data-testid="score-explain">
            Big number: the model's score of the whole clip. Each rep: the model's score of that rep's own frames; set
            score: their mean. A rep's form cue ("Go deeper"…) is the most severe one the cue rules found on its frames
            (at most one per rep); remarks (shallow, fast…) come from range-of-motion and tempo. Neither is part of any
            score.
          </p>
          <h4 data-testid="rep-count">
            {report
              ? report.holdSec !== null
                ? `Hold · ${report.holdSec.toFixed(1)} s`
                : `Reps · ${report.count}${report.setScore !== null ? ` · set score ${report.setScore.toFixed(1)}` : ''}`
              : 'Reps'}
          </h4>
          {report ? (
            <p className="muted" data-testid="rep-exercise">
              Counted as{' '}
              {report.exercise ? EXERCISE_DISPLAY_NAMES[report.exercise] : `movement (${report.signalLabel})`}
              {report.exerciseSource === 'model'
                ? " — the model's guess"
                : report.exerciseSource === 'chosen'
                  ? " — the clip's label"
                  : ''}
            </p>
          ) : null}
          {notes.map((n) => (
            <p key={n} className="warning" role="status" data-testid="score-video-note">
              {n}
            </p>
          ))}
          {report?.messages.map((m) => (
            <p key={m} className="warning" role="status" data-testid="rep-message">
              {m}
            </p>
          ))}
          <RepTimeline
            reps={report?.reps ?? []}
            holdSec={report?.holdSec ?? null}
            holdCues={report?.holdWindows}
            onSeek={(t) => {
              if (videoRef.current) videoRef.current.currentTime = t;
            }}
          />
          {report && (report.count > 0 || report.holdWindows.length > 0) ? (
            <>
              <h4>Top form cues</h4>
              {report.cueNote ? (
                <p className="muted" data-testid="cue-note">
                  {report.cueNote}
                </p>
              ) : (
                <CueSummary
                  counts={report.cueSummary}
                  {...(report.holdSec !== null
                    ? { reps: report.holdWindows.length, unit: '5-s windows' }
                    : { reps: report.count })}
                />
              )}
            </>
          ) : null}
          <CueSettingsSection exercise={report?.exercise} />
        </aside>
      </div>
    </div>
  );
}
