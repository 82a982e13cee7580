/**
 * The preview beside the grid: the focused video plays, scrubs frame by frame (`,` `.`), shows the N=24
 * sampled frame positions on its timeline and the pose skeleton when keypoints exist. Labeling keys
 * (digits type a score, Enter saves, J/N next unlabeled, …) come from the Library's shortcut table.
 * F or a double-click shows it larger.
 */
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import type { VideoRow } from '../../src-shared/domain/video';
import { DEFAULT_NUM_FRAMES, sampleTimestamps, type VideoKeypoints } from '../../src-shared/keypoints/format';
import { EXERCISE_DISPLAY_NAMES } from '../../src-shared/domain/exercises';
import { validateScore } from '../../src-shared/domain/scores';
import { api, mediaUrl } from '../api/client';
import { unflattenFrame } from '../../src-shared/keypoints/stored';
import { drawPose } from '../pose/draw';
import { formatScore, poseText } from './cells';
import { shortcutFor } from './shortcuts';

/** Loads a video's cached keypoints; null when there are none. */
export type KeypointsLoader = (row: VideoRow) => Promise<VideoKeypoints | null>;
export const noKeypoints: KeypointsLoader = () => Promise.resolve(null);

/** The project's cached keypoints (keypoints.get), for rows whose pose was extracted. */
export const apiKeypoints: KeypointsLoader = async (row) => {
  if (row.pose.status !== 'ok' && row.pose.status !== 'no_pose') return null;
  const k = await api.call('keypoints.get', { videoId: row.id });
  if (!k) return null;
  return { numFrames: k.numFrames, timestamps: k.timestamps, frames: k.frames.map(unflattenFrame), model: k.variant };
};

/** What the grid's keys do to the preview (Space, F). */
export interface PreviewControls {
  togglePlay(): void;
  toggleLarge(): void;
}

interface Props {
  row: VideoRow | null;
  controls?: React.MutableRefObject<PreviewControls | null>;
  loadKeypoints?: KeypointsLoader;
  onScore(row: VideoRow, score: number): void;
  onNextUnlabeled(dir: 1 | -1): void;
}

const DEFAULT_FPS = 30;

export function PreviewPane({ row, controls, loadKeypoints = noKeypoints, onScore, onNextUnlabeled }: Props) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [typed, setTyped] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [keypoints, setKeypoints] = useState<VideoKeypoints | null>(null);
  const [videoError, setVideoError] = useState<string | null>(null);
  const [large, setLarge] = useState(false);
  const fps = row?.fps && row.fps > 0 ? row.fps : DEFAULT_FPS;
  const dur = duration > 0 ? duration : (row?.durationSec ?? 0);
  const samples = keypoints?.timestamps ?? sampleTimestamps(dur, DEFAULT_NUM_FRAMES);
  const rowId = row?.id ?? null;

  // Reads the row and loader of the render that changed the row id; their later changes (an edited label,
  // a new loader identity) must not reset the preview.
  const loadRowKeypoints = useEffectEvent(() => (row ? loadKeypoints(row) : null));
  useEffect(() => {
    setTyped('');
    setMessage(null);
    setKeypoints(null);
    setVideoError(null);
    setTime(0);
    setDuration(0);
    const loading = loadRowKeypoints();
    if (!loading) return;
    let alive = true;
    loading.then(
      (k) => alive && setKeypoints(k),
      () => alive && setKeypoints(null),
    );
    return () => {
      alive = false;
    };
  }, [rowId]);

  const draw = useCallback(() => {
    const canvas = canvasRef.current;
    const video = videoRef.current;
    if (!canvas || !video) return;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, w, h);
    if (!keypoints || keypoints.frames.length === 0 || !video.videoWidth) return;
    // The frame sampled nearest to the playhead, if within half a sampling step.
    const t = video.currentTime;
    let best = -1;
    let bestD = Infinity;
    keypoints.timestamps.forEach((ts, i) => {
      const d = Math.abs(ts - t);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    const step = keypoints.timestamps.length > 1 ? keypoints.timestamps[1] - keypoints.timestamps[0] : Infinity;
    if (best < 0 || bestD > step / 2) return;
    // object-fit: contain → the drawn video rectangle.
    const scale = Math.min(w / video.videoWidth, h / video.videoHeight);
    const rw = video.videoWidth * scale;
    const rh = video.videoHeight * scale;
    drawPose(ctx, keypoints.frames[best], { rect: { x: (w - rw) / 2, y: (h - rh) / 2, width: rw, height: rh } });
  }, [keypoints]);

  useEffect(() => {
    draw();
  }, [draw, time]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    let raf = 0;
    const tick = () => {
      setTime(video.currentTime);
      if (!video.paused) raf = requestAnimationFrame(tick);
    };
    const onPlay = () => (raf = requestAnimationFrame(tick));
    const onUpdate = () => setTime(video.currentTime);
    video.addEventListener('play', onPlay);
    video.addEventListener('seeked', onUpdate);
    video.addEventListener('timeupdate', onUpdate);
    return () => {
      cancelAnimationFrame(raf);
      video.removeEventListener('play', onPlay);
      video.removeEventListener('seeked', onUpdate);
      video.removeEventListener('timeupdate', onUpdate);
    };
  }, [rowId]);

  const frameOf = (t: number) => Math.floor(t * fps + 1e-6);
  const seekFrame = (frame: number) => {
    const video = videoRef.current;
    if (!video) return;
    const last = Math.max(0, Math.floor((dur || video.duration || 0) * fps) - 1);
    const f = Math.max(0, Math.min(last, frame));
    video.pause();
    // A quarter into the frame, so rounding never shows the previous one.
    video.currentTime = (f + 0.25) / fps;
    setTime(video.currentTime);
  };
  const seekTime = (t: number) => seekFrame(frameOf(t));
  const togglePlay = () => {
    const v = videoRef.current;
    if (v) void (v.paused ? v.play().catch(() => undefined) : v.pause());
  };
  if (controls) controls.current = { togglePlay, toggleLarge: () => setLarge((l) => !l) };

  const onKey = (e: React.KeyboardEvent) => {
    if (!row) return;
    const k = e.key;
    const id = shortcutFor(e, 'preview');
    const decimal = k === '.' && typed !== '' && !typed.includes('.');
    if (id === 'nextFrame' && !decimal) {
      e.preventDefault();
      seekFrame(frameOf(videoRef.current?.currentTime ?? 0) + 1);
    } else if (id === 'prevFrame') {
      e.preventDefault();
      seekFrame(frameOf(videoRef.current?.currentTime ?? 0) - 1);
    } else if (id === 'playPause') {
      e.preventDefault();
      togglePlay();
    } else if (id === 'typeScore' || decimal) {
      e.preventDefault();
      setTyped((t) => (t + k).slice(0, 5));
      setMessage(null);
    } else if (k === 'Backspace' && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      setTyped((t) => t.slice(0, -1));
    } else if (id === 'clearTyped') {
      if (large && typed === '') setLarge(false);
      setTyped('');
      setMessage(null);
    } else if (id === 'saveScore') {
      e.preventDefault();
      if (typed === '') return;
      const v = validateScore(typed);
      if (!v.ok) {
        setMessage(v.message);
        return;
      }
      onScore(row, v.value);
      setTyped('');
      setMessage(null);
    } else if (id === 'enlarge') {
      e.preventDefault();
      setLarge((l) => !l);
    } else if (id === 'nextUnlabeled' || id === 'prevUnlabeled') {
      e.preventDefault();
      onNextUnlabeled(id === 'nextUnlabeled' ? 1 : -1);
    }
  };

  if (!row) {
    return (
      <aside className="fs-preview empty-preview" data-testid="preview">
        <p className="muted">Select a row to preview its video.</p>
      </aside>
    );
  }

  const frame = frameOf(time);
  const totalFrames = row.frameCount ?? (dur > 0 ? Math.round(dur * fps) : null);
  return (
    <aside
      className={large ? 'fs-preview fs-preview-large' : 'fs-preview'}
      data-testid="preview"
      data-large={large}
      tabIndex={0}
      onKeyDown={onKey}
      aria-label="Video preview and quick labeling"
    >
      <div className="fs-video-wrap" title="Click: play/pause · double-click or F: larger view">
        <video
          key={row.id}
          ref={videoRef}
          src={mediaUrl('video', row.id)}
          preload="metadata"
          playsInline
          muted
          data-testid="preview-video"
          onLoadedMetadata={(e) => setDuration(e.currentTarget.duration)}
          onError={() => setVideoError('This video cannot be played here (codec or file missing).')}
          onClick={(e) => {
            // The second click of a double-click is not a play/pause (detail counts the clicks).
            if (e.detail > 1) return;
            const v = e.currentTarget;
            void (v.paused ? v.play().catch(() => undefined) : v.pause());
          }}
          onDoubleClick={() => setLarge((l) => !l)}
        />
        <canvas ref={canvasRef} className="fs-pose-canvas" aria-hidden />
        {videoError ? <div className="fs-video-error">{videoError}</div> : null}
        {!videoError && row.pose.status === 'none' ? (
          <div className="fs-pose-hint" data-testid="pose-hint">
            No skeleton yet: <b>Extract keypoints</b> (toolbar) draws the pose on the 24 sampled frames.
          </div>
        ) : null}
        {large ? (
          <button
            className="fs-large-close"
            onClick={() => setLarge(false)}
            aria-label="Close the larger view"
            data-testid="preview-large-close"
          >
            ✕
          </button>
        ) : null}
      </div>
      <div
        className="fs-timeline"
        data-testid="timeline"
        onPointerDown={(e) => {
          const el = e.currentTarget;
          el.setPointerCapture(e.pointerId);
          const at = (x: number) => {
            const r = el.getBoundingClientRect();
            seekTime(Math.max(0, Math.min(1, (x - r.left) / r.width)) * dur);
          };
          at(e.clientX);
          el.onpointermove = (m) => at(m.clientX);
          el.onpointerup = () => (el.onpointermove = null);
        }}
      >
        {dur > 0
          ? samples.map((t, i) => (
              <span
                key={i}
                className={keypoints?.frames[i] ? 'fs-sample has-pose' : keypoints ? 'fs-sample no-pose' : 'fs-sample'}
                style={{ left: `${(t / dur) * 100}%` }}
                title={`Sample ${i + 1}/${samples.length} at ${t.toFixed(2)} s`}
              />
            ))
          : null}
        <span className="fs-playhead" style={{ left: `${dur > 0 ? (time / dur) * 100 : 0}%` }} />
      </div>
      <div className="fs-preview-info">
        <span data-testid="preview-frame">
          frame {frame}
          {totalFrames ? ` / ${totalFrames}` : ''} · {time.toFixed(2)} s
        </span>
        <span className="muted">{fps.toFixed(fps % 1 ? 2 : 0)} fps</span>
        <span className="muted">{samples.length} samples</span>
      </div>
      <div className="fs-preview-meta">
        <div className="fs-preview-path" title={row.relPath} data-testid="preview-path">
          {row.relPath}
        </div>
        <div>
          {row.label.exerciseType ? (
            EXERCISE_DISPLAY_NAMES[row.label.exerciseType]
          ) : (
            <span className="muted">no type</span>
          )}{' '}
          · score <b data-testid="preview-score">{row.label.score == null ? '—' : formatScore(row.label.score)}</b> ·{' '}
          {row.split} · pose {poseText(row)}
        </div>
        <div className={message ? 'fs-quick invalid' : 'fs-quick'}>
          <span
            className="muted fs-help"
            data-testid="quick-score-label"
            title="Quick score: with the preview focused, type 0–100 (one decimal) and press Enter to save it as this video's score; Esc clears."
          >
            Quick score:
          </span>{' '}
          <span className="fs-typed" data-testid="preview-typed">
            {typed || <span className="muted fs-typed-hint">type 0–100, Enter</span>}
          </span>
          {message ? (
            <span role="alert" className="fs-quick-msg">
              {message}
            </span>
          ) : null}
        </div>
        <div className="muted fs-keys">
          <kbd>0–9</kbd> score · <kbd>Enter</kbd> save · <kbd>J</kbd>/<kbd>K</kbd> next/prev unlabeled · <kbd>,</kbd>/
          <kbd>.</kbd> frame · <kbd>Space</kbd> play · <kbd>F</kbd> larger · <kbd>?</kbd> all shortcuts
        </div>
      </div>
    </aside>
  );
}
