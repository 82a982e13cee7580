import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LearnedMetrics, parseMappingText } from '../../src-renderer/cues/LearnedMetrics';

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
});
