import { useCallback, useEffect, useRef, useState } from 'react';
import { useApp } from '../app/store';
import { api, mediaUrl } from '../api/client';
import type { FrameLandmarks, PoseModelVariant } from '../../src-shared/keypoints/format';
import { ScoreBadge } from './ScoreBadge';
import { CameraError, listCameras, openCamera, stopStream } from './camera';
import { loadScorer, type Scorer } from './scorer';
import type { ClipScore } from '../../src-shared/scoring/clip-score';
import { livePose, runLoop, type Stats } from './pose-loop';
import { RepTimeline, summarize, type TimelineRep } from './RepTimeline';
import { LiveReps } from './live-reps';
import { EXERCISE_DISPLAY_NAMES, EXERCISE_TYPES, type ExerciseType } from '../../src-shared/domain/exercises';
import { ScoreVideoPanel } from './ScoreVideoPanel';
import { RecentSets } from './RecentSets';
import { captureSnapshot } from './snapshot';
import { loadLiveCues, savedSetReps, setCueSummary, type LiveCues } from './live-cues';
import { LiveCueBanner, SetSummary } from './SetSummary';
import { CueSettingsSection } from '../cues/CueSettingsSection';
import type { Cue } from '../../src-shared/cues';

type Source = { kind: 'camera'; index: number } | { kind: 'video'; videoId: number };

export function LiveView() {
  const { rows, project } = useApp();
  const videoRef = useRef<HTMLVideoElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const stopRef = useRef<(() => void) | null>(null);
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [source, setSource] = useState<Source>({ kind: 'camera', index: 0 });
  const [running, setRunning] = useState(false);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [stats, setStats] = useState<Stats>({ drawFps: 0, poseFps: 0, poseMs: 0, person: false });
  const [result, setResult] = useState<ClipScore | null>(null);
  const [scorerName, setScorerName] = useState<string | null>(null);
  const [delegate, setDelegate] = useState<string | null>(null);
  const [mode, setMode] = useState<'live' | 'file'>('live');
  const [repExercise, setRepExercise] = useState<ExerciseType | 'auto'>('auto');
  const [guess, setGuess] = useState<ExerciseType | null>(null);
  const liveRepsRef = useRef<LiveReps | null>(null);
  const [reps, setReps] = useState<TimelineRep[]>([]);
  const [holdSec, setHoldSec] = useState<number | null>(null);
  const [summary, setSummary] = useState<
    (ReturnType<typeof summarize> & { cues: ReturnType<typeof setCueSummary> }) | null
  >(null);
  const repExerciseRef = useRef<ExerciseType | 'auto'>('auto');
  repExerciseRef.current = repExercise;
  const resultRef = useRef<ClipScore | null>(null);
  resultRef.current = result;
  const repsRef = useRef<TimelineRep[]>([]);
  repsRef.current = reps;
  const holdRef = useRef<number | null>(null);
  holdRef.current = holdSec;
  const mirroredRef = useRef(true);
  mirroredRef.current = source.kind === 'camera';
  const sourceRef = useRef('camera');
  sourceRef.current = source.kind === 'camera' ? `camera ${source.index}` : `video ${source.videoId}`;
  const [savedSet, setSavedSet] = useState<number | null>(null);
  const [liveCue, setLiveCue] = useState<{ cue: Cue | null; problem: string | null }>({ cue: null, problem: null });
  const cuesRef = useRef<LiveCues | null>(null);

  useEffect(() => {
    void (async () => {
      setCameras(await listCameras().catch(() => []));
      const saved = (await api.call('project.getSetting', { key: 'live.camera' }).catch(() => null)) as number | null;
      if (typeof saved === 'number') setSource({ kind: 'camera', index: saved });
    })();
  }, []);

  const stop = useCallback((why?: string) => {
    // Keep the set: a snapshot (frame + skeleton) and its reps go into the project.
    const snapshot = captureSnapshot(videoRef.current, canvasRef.current, mirroredRef.current);
    const setReps = repsRef.current;
    const hold = holdRef.current;
    if (setReps.length > 0 || (hold ?? 0) > 0) {
      void api
        .call('sessions.save', {
          source: sourceRef.current,
          exerciseType:
            repExerciseRef.current !== 'auto' ? repExerciseRef.current : (resultRef.current?.exercise ?? null),
          modelId: null,
          reps: savedSetReps(setReps),
          holdSec: hold,
          ...(cuesRef.current && setReps.length === 0 ? { holdCues: cuesRef.current.holdCues } : {}),
          snapshotJpegBase64: snapshot,
        })
        .then((saved) => setSavedSet(saved.id))
        .catch(() => undefined);
    }
    stopRef.current?.();
    stopRef.current = null;
    stopStream(streamRef.current);
    streamRef.current = null;
    const v = videoRef.current;
    if (v) {
      v.pause();
      v.srcObject = null;
      v.removeAttribute('src');
    }
    setRunning(false);
    setSummary({
      ...summarize(repsRef.current),
      cues: setCueSummary(repsRef.current, cuesRef.current?.holdCues ?? null),
    });
    setNotice(why ?? 'Stopped. Press Start to begin again.');
  }, []);

  useEffect(() => () => stop(), [stop]);

  // The exercise chosen for rep counting is remembered per camera / video source.
  const exerciseKey = `live.exercise.${source.kind === 'camera' ? `camera${source.index}` : `video${source.videoId}`}`;
  useEffect(() => {
    void api
      .call('project.getSetting', { key: exerciseKey })
      .then((v) =>
        setRepExercise(
          typeof v === 'string' && (v === 'auto' || (EXERCISE_TYPES as readonly string[]).includes(v))
            ? (v as ExerciseType | 'auto')
            : 'auto',
        ),
      )
      .catch(() => undefined);
  }, [exerciseKey]);

  // q or Esc stops, as in the toolkit's live window.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!running) return;
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
      if (e.key === 'q' || e.key === 'Q' || e.key === 'Escape') {
        e.preventDefault();
        stop('Stopped (q/Esc). Press Start to begin again.');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [running, stop]);

  const start = async () => {
    setError(null);
    setNotice(null);
    setResult(null);
    setReps([]);
    setHoldSec(null);
    setSummary(null);
    setSavedSet(null);
    setStarting(true);
    try {
      const variant =
        ((await api.call('project.getSetting', { key: 'pose.variant' })) as PoseModelVariant | null) ?? 'full';
      const liveVariant = variant === 'heavy' ? 'full' : variant; // heavy is too slow for live on CPU
      const pose = await livePose(liveVariant);
      setDelegate(`${pose.description} · ${liveVariant}`);
      const scorer: Scorer | null = await loadScorer(null).catch(() => null);
      setScorerName(scorer?.name ?? null);
      const video = videoRef.current!;
      if (source.kind === 'camera') {
        const stream = await openCamera({ index: source.index });
        streamRef.current = stream;
        void api.call('project.setSetting', { key: 'live.camera', value: source.index });
        stream
          .getVideoTracks()[0]
          ?.addEventListener('ended', () => stop('The camera was disconnected. Reconnect it and press Start.'));
        video.srcObject = stream;
      } else {
        video.srcObject = null;
        video.src = mediaUrl('video', source.videoId);
        video.loop = true;
      }
      video.muted = true;
      await video.play();
      if (pose.kind === 'page') await pose.runner.reset();
      const { cues, problem } = await loadLiveCues(
        () => api.call('cues.getSettings', {}),
        () => api.call('cues.listLearned', {}),
      );
      cuesRef.current = cues;
      setLiveCue({ cue: null, problem });
      const liveReps = new LiveReps({
        cues,
        onCue: (cue) => setLiveCue({ cue, problem: null }),
        chosen: () => repExerciseRef.current,
        scorer,
        onRep: (rep) => setReps((rs) => [...rs, rep]),
        onRepScore: (index, score) => setReps((rs) => rs.map((r) => (r.index === index ? { ...r, score } : r))),
        onHold: setHoldSec,
      });
      liveRepsRef.current = liveReps;
      const onPose = (landmarks: FrameLandmarks, tSec: number, aspect: number) =>
        liveReps.push(landmarks, tSec, aspect);
      const onResult = (r: ClipScore) => {
        setGuess(liveReps.smoother.push(r).exercise);
        setResult(r);
      };
      stopRef.current = runLoop(
        video,
        canvasRef.current!,
        pose,
        scorer,
        source.kind === 'camera',
        setStats,
        onResult,
        onPose,
      );
      setRunning(true);
    } catch (err) {
      stopStream(streamRef.current);
      streamRef.current = null;
      setError(err instanceof CameraError ? err.message : `Could not start: ${(err as Error).message}`);
    } finally {
      setStarting(false);
    }
  };

  const okVideos = rows.filter((r) => r.status === 'ok');

  return (
    <div className="live">
      <div className="toolbar">
        <div className="segmented" role="tablist">
          <button
            className={mode === 'live' ? 'active' : ''}
            onClick={() => setMode('live')}
            disabled={running}
            data-testid="mode-live"
          >
            Live
          </button>
          <button
            className={mode === 'file' ? 'active' : ''}
            onClick={() => setMode('file')}
            disabled={running}
            data-testid="mode-file"
          >
            Score a video
          </button>
        </div>
      </div>
      {mode === 'file' ? <ScoreVideoPanel /> : null}
      <div className="toolbar" style={{ display: mode === 'live' ? undefined : 'none' }}>
        <label>
          Source{' '}
          <select
            aria-label="Source"
            data-testid="live-source"
            value={source.kind === 'camera' ? `camera:${source.index}` : `video:${source.videoId}`}
            onChange={(e) => {
              const [k, v] = e.target.value.split(':');
              setSource(k === 'camera' ? { kind: 'camera', index: Number(v) } : { kind: 'video', videoId: Number(v) });
            }}
            disabled={running}
          >
            {(cameras.length ? cameras : [null]).map((c, i) => (
              <option key={`c${i}`} value={`camera:${i}`}>
                Camera {i}
                {c?.label ? ` — ${c.label}` : ''}
              </option>
            ))}
            {okVideos.map((r) => (
              <option key={`v${r.id}`} value={`video:${r.id}`}>
                Video: {r.relPath}
              </option>
            ))}
          </select>
        </label>
        {running ? (
          <button onClick={() => stop()} data-testid="live-stop">
            Stop (q)
          </button>
        ) : (
          <button className="primary" onClick={() => void start()} disabled={starting} data-testid="live-start">
            {starting ? 'Starting…' : source.kind === 'camera' ? 'Start camera' : 'Start'}
          </button>
        )}
        <label>
          Reps of{' '}
          <select
            aria-label="Exercise for rep counting"
            value={repExercise}
            onChange={(e) => {
              setRepExercise(e.target.value as ExerciseType | 'auto');
              void api.call('project.setSetting', { key: exerciseKey, value: e.target.value }).catch(() => undefined);
            }}
          >
            <option value="auto">auto (detected / movement)</option>
            {EXERCISE_TYPES.map((t) => (
              <option key={t} value={t}>
                {EXERCISE_DISPLAY_NAMES[t]}
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <span className="muted" data-testid="live-model">
          {scorerName
            ? `Model: ${scorerName}`
            : project?.counts.models
              ? 'Model loads on start'
              : 'No model yet — pose only'}
        </span>
      </div>
      {mode === 'live' && error ? (
        <div className="empty error" role="alert" data-testid="live-error">
          <h2>Camera problem</h2>
          <p>{error}</p>
        </div>
      ) : null}
      <div className="live-stage" style={{ display: mode === 'live' ? undefined : 'none' }}>
        <div className="live-video-wrap">
          <video
            ref={videoRef}
            className={source.kind === 'camera' ? 'live-video mirrored' : 'live-video'}
            playsInline
            muted
            data-testid="live-video"
          />
          <canvas ref={canvasRef} className="live-overlay" data-testid="live-overlay" />
          {!running && !error ? (
            <div className="live-idle" data-testid="live-empty">
              <p>{notice ?? 'Press Start to score an athlete live. q or Esc stops.'}</p>
              {project && project.counts.models === 0 ? (
                <p className="muted">
                  No model yet: the skeleton and FPS work now; train a model in Training to get scores.
                </p>
              ) : null}
            </div>
          ) : null}
        </div>
        <aside className="live-panel">
          <ScoreBadge
            score={result?.score ?? null}
            decimals={1}
            testId="live-score"
            placeholder={scorerName ? 'Waiting for a full window…' : 'No model'}
          />
          <dl>
            <dt>Exercise</dt>
            <dd data-testid="live-exercise">
              {repExercise !== 'auto'
                ? `${EXERCISE_DISPLAY_NAMES[repExercise]} (chosen)`
                : result
                  ? guess
                    ? EXERCISE_DISPLAY_NAMES[guess]
                    : 'uncertain — counting the movement'
                  : '—'}
            </dd>
            <dt>FPS</dt>
            <dd
              data-testid="live-fps"
              data-draw-fps={stats.drawFps.toFixed(1)}
              data-pose-fps={stats.poseFps.toFixed(1)}
              data-pose-ms={stats.poseMs.toFixed(1)}
              data-score-ms={result?.latencyMs?.toFixed(1) ?? ''}
            >
              {stats.drawFps.toFixed(0)} draw · {stats.poseFps.toFixed(0)} pose
            </dd>
            <dt>Pose</dt>
            <dd data-testid="live-person">
              {running ? (stats.person ? `person · ${stats.poseMs.toFixed(0)} ms` : 'no person in view') : '—'}
            </dd>
            <dt>Backend</dt>
            <dd data-testid="live-backend">{delegate ?? '—'}</dd>
            {result ? (
              <>
                <dt>Score latency</dt>
                <dd>{result.latencyMs?.toFixed(0) ?? '—'} ms</dd>
              </>
            ) : null}
          </dl>
          <p className="muted" data-testid="live-explain">
            Big number: the model's score of the last {scorerName ? 'window' : 'window (no model)'}. Rep tiles: the
            model's score of each rep's own frames; set summary: their mean. A form cue shows only when it comes up on 2
            of the last 3 reps; remarks (shallow, fast…) are range-of-motion / tempo rules. Neither is a score.
          </p>
          <h4 data-testid="live-rep-count">Reps{reps.length ? ` · ${reps.length}` : ''}</h4>
          {running ? <LiveCueBanner {...liveCue} /> : null}
          <RepTimeline reps={reps} holdSec={holdSec} />
          {summary && !running && summary.count > 0 ? (
            <SetSummary summary={summary} cues={summary.cues} savedSet={savedSet} />
          ) : null}
          <CueSettingsSection exercise={repExercise !== 'auto' ? repExercise : null} />
          <RecentSets refreshKey={savedSet} />
        </aside>
      </div>
    </div>
  );
}
