import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LearnedMetrics, parseMappingText } from '../../src-renderer/cues/LearnedMetrics';
import { LearnedModelList } from '../../src-renderer/cues/LearnedModelList';
import type { StoredLearnedCueModel } from '../../src-shared/api/cues-contract';

describe('learned cue panel', () => {
  it('shows accuracy, recall and the confusion matrix (rows = true, columns = predicted)', () => {
    const html = renderToStaticMarkup(
      createElement(LearnedMetrics, {
        model: {
          labels: ['C', 'L'],
          cueText: [null, "Don't lean back"],
          metrics: {
            accuracy: 0.9,
            recall: [1, 0.8],
            confusion: [
              [10, 0],
              [2, 8],
            ],
            trainRows: 80,
            testRows: 20,
          },
        },
      }),
    );
    expect(html).toContain('90.0 %');
    expect(html).toContain('C 100.0 %, L 80.0 %');
    expect(html).toMatch(/<th title="Don&#x27;t lean back">L<\/th><td>2<\/td><td class="diag">8<\/td>/);
  });

  it('column mapping text: parsed, or a clear error', () => {
    expect(parseMappingText('')).toEqual({});
    expect(parseMappingText('LShoulder=left_shoulder, RHip = right_hip')).toEqual({
      mapping: { LShoulder: 'left_shoulder', RHip: 'right_hip' },
    });
    expect(parseMappingText('LShoulder').error).toMatch(/expected Prefix=landmark_name, got "LShoulder"/);
  });

  it('lists every model of the exercise, each with its own switch (off = its id in disabled)', () => {
    const base = {
      format: 'form-studio.learned-cues',
      version: 1,
      exercise: 'plank',
      labels: ['C', 'L'],
      cueText: [null, 'Hips too low'],
      metrics: {
        accuracy: 1,
        recall: [1, 1],
        confusion: [
          [1, 0],
          [0, 1],
        ],
        trainRows: 8,
        testRows: 2,
      },
      trainedAt: '2026-12-01T10:00:00Z',
      sourceName: 'plank.csv',
    } as unknown as StoredLearnedCueModel;
    const html = renderToStaticMarkup(
      createElement(LearnedModelList, {
        models: [base, { ...base, name: 'head', cueText: [null, 'Head up'] }],
        settings: { disabled: ['learned.plank@head'] },
        onChange: () => undefined,
        onDelete: () => undefined,
      }),
    );
    expect(html.match(/data-testid="learned-model"/g)).toHaveLength(2);
    expect(html).toContain('data-model="learned.plank"');
    expect(html).toContain('data-model="learned.plank@head"');
    expect(html).toMatch(/aria-label="Learned plank \(unnamed\) cues: on" checked=""/);
    expect(html).toMatch(/aria-label="Learned plank &#x27;head&#x27; cues: off"\/>/);
    expect(html).toContain('L = “Head up”');
  });
});
