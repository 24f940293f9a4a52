import { describe, expect, it } from 'vitest';
import { fillSecretPlaceholders } from '../../../../core/jobs/fill-secret-placeholders.js';

describe('fillSecretPlaceholders', () => {
  it('fills only the named secrets, inside larger arguments too', () => {
    const argv = ['train', '--token={{env.HF_TOKEN}}', '{{ env.HF_TOKEN }}', '{{env.OTHER}}', '{{params.lr}}'];
    expect(fillSecretPlaceholders(argv, { HF_TOKEN: 'hf_x' })).toEqual(['train', '--token=hf_x', 'hf_x', '{{env.OTHER}}', '{{params.lr}}']);
  });

  it('does not treat inherited object keys as secrets and inserts values literally', () => {
    expect(fillSecretPlaceholders(['{{env.constructor}}'], {})).toEqual(['{{env.constructor}}']);
    expect(fillSecretPlaceholders(['{{env.A}}'], { A: '$& $1' })).toEqual(['$& $1']);
  });
});
