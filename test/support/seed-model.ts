/**
 * Test helper (run with tsx): put a freshly initialised standard model into a home's project, as if
 * trained. Usage: tsx test/support/seed-model.ts <home> [seed]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Services } from '../../src-main/services';
import { initTfNode } from '../../src-main/models/tf-node';
import { ScoringModel, standardModel } from '../../src-shared/model';

export async function seedModel(home: string, seed = 3): Promise<number> {
  await initTfNode();
  const s = new Services({ home, mode: 'browser' });
  try {
    const model = ScoringModel.create(standardModel(24), seed);
    const file = join(s.paths.models, `seeded-${seed}.fsmodel`);
    const bytes = model.save();
    writeFileSync(file, bytes);
    model.dispose();
    return s.models.insert({
      runId: null,
      name: `standard · seeded ${seed}`,
      kind: 'standard',
      role: 'best',
      filePath: file,
      sizeBytes: bytes.length,
      valMae: 12.5,
      metrics: { numFrames: 24, hasExerciseHead: true },
    }).id;
  } finally {
    s.close();
  }
}

if (process.argv[1]?.endsWith('seed-model.ts')) {
  const [home, seed] = process.argv.slice(2);
  seedModel(home, seed ? Number(seed) : 3).then((id) => console.log(`seeded model ${id}`));
}
