/**
 * How an extraction job spreads clips over k pose workers. A whole clip on one worker pays the pose
 * detector and the tracking reset once (better throughput); a clip split across the workers finishes
 * sooner. Every clip has the same number of frames, so running the first clips whole, in a multiple
 * of k, and splitting the last k..2k-1 keeps the workers even up to the end of the job.
 */
export function wholeClipCount(clips: number, workers: number): number {
  if (workers <= 1) return 0;
  return workers * Math.max(0, Math.floor(clips / workers) - 1);
}
