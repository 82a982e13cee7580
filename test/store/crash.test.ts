import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Services } from '../../src-main/services';
import { videoRecord } from '../support/video-record';

/**
 * Crash safety: label through the real web host while it is SIGKILLed mid-stream. Every edit the server
 * acknowledged must be in the database, and the database must pass integrity_check.
 */
describe('crash safety', () => {
  it('keeps every acknowledged label after kill -9 of the server', async () => {
    const home = mkdtempSync(join(tmpdir(), 'fs-crash-'));
    try {
      const seed = new Services({ home, mode: 'browser' });
      const ids = seed.db.transaction(() =>
        Array.from({ length: 200 }, (_, i) =>
          seed.store.upsertVideo(
            videoRecord(`clips/${i}.mp4`, {
              contentHash: `h${i}`,
              sizeBytes: 1,
              durationSec: 1,
              frameCount: 30,
              width: 10,
              height: 10,
            }),
          ),
        ),
      )();
      seed.close();

      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src-main/cli/index.ts', 'serve', '--no-open', '--port', '0', '--home', home],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const url = await new Promise<URL>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /FORM_STUDIO_URL=(\S+)/.exec(out);
          if (m) resolve(new URL(m[1]));
        });
        child.on('exit', () => reject(new Error(out)));
      });
      const token = url.searchParams.get('token')!;
      const acknowledged = new Map<number, number>();
      let sent = 0;
      // Four writers in flight at once, each video written exactly once; kill after 60 acknowledgements.
      const writer = async (w: number) => {
        for (let k = w; k < ids.length; k += 4) {
          const id = ids[k];
          const score = (w * 7 + k) % 101;
          sent++;
          try {
            const r = await fetch(`${url.origin}/api/call/labels.edit`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: JSON.stringify({ edits: [{ videoId: id, score, exerciseType: 'squat' }] }),
            });
            const body = (await r.json()) as { ok: boolean };
            if (body.ok) acknowledged.set(id, score);
          } catch {
            return; // server is gone
          }
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      while (acknowledged.size < 60) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      await Promise.all(writers);
      expect(sent).toBeGreaterThan(acknowledged.size);

      const db = new Database(join(home, 'form-studio.db'));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stmt = db.prepare('SELECT score FROM labels WHERE video_id = ?');
      for (const [id, score] of acknowledged) {
        const row = stmt.get(id) as { score: number } | undefined;
        expect(row?.score, `video ${id}`).toBe(score);
      }
      db.close();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
