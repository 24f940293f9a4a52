import { describe, expect, it } from 'vitest';
import { customFormat, customFormatProblems, type CustomFormatOptions } from '../../../../core/judge-formats/custom.js';
import { createJudgeFormat, judgeFormatProblems, type JudgeFormatName } from '../../../../core/judge-formats/judge-formats.js';

const template = 'Instruction: {{instruction}}\nA: {{response1}}\nB: {{response2}}\nBetter:';
const abc = { one: 'A', two: 'B', tie: 'C' } as const;
const request = { instruction: 'Name a colour.', input: '', response1: 'Red.', response2: 'Seven.' };

// Our own format (core/judge-formats/custom.ts): templates and labels from a judge config, modelled on AlpacaEval's evaluator configs.
describe('customFormat: prompts', () => {
  it('fills every placeholder, with spaces allowed inside the braces', () => {
    const format = customFormat({ prompt: '[{{ instruction }}|{{input}}|{{response1 }}|{{  response2}}]', labels: abc });
    expect(format.buildPrompt({ instruction: 'I', input: '', response1: 'r1', response2: 'r2' })).toBe('[I||r1|r2]');
    expect(format.buildPrompt({ instruction: 'I', input: 'X', response1: 'r1', response2: 'r2' })).toBe('[I|X|r1|r2]');
  });

  it('fills a placeholder each time it appears and leaves other text alone', () => {
    const format = customFormat({ prompt: '{{response1}} vs {{response2}}; again {{response1}}. {not} {{}', labels: abc });
    expect(format.buildPrompt(request)).toBe('Red. vs Seven.; again Red.. {not} {{}');
  });

  it('shows the responses trimmed, in the request order', () => {
    const format = customFormat({ prompt: template, labels: abc });
    expect(format.buildPrompt({ ...request, response1: '  Red.\n', response2: '\tSeven. ' })).toBe('Instruction: Name a colour.\nA: Red.\nB: Seven.\nBetter:');
    expect(format.buildPrompt({ ...request, response1: 'Seven.', response2: 'Red.' })).toBe('Instruction: Name a colour.\nA: Seven.\nB: Red.\nBetter:');
  });

  it('uses promptWithInput only when the input is not empty', () => {
    const format = customFormat({ prompt: 'plain {{instruction}} {{response1}} {{response2}}', promptWithInput: 'with {{instruction}} [{{input}}] {{response1}} {{response2}}', labels: abc });
    expect(format.buildPrompt({ ...request, input: '' })).toBe('plain Name a colour. Red. Seven.');
    expect(format.buildPrompt({ ...request, input: '  \n' })).toBe('plain Name a colour. Red. Seven.');
    expect(format.buildPrompt({ ...request, input: 'warm' })).toBe('with Name a colour. [warm] Red. Seven.');
  });

  it('uses the prompt for an input too when there is no promptWithInput', () => {
    const format = customFormat({ prompt: '{{instruction}}/{{input}}/{{response1}}/{{response2}}', labels: abc });
    expect(format.buildPrompt({ ...request, input: 'warm' })).toBe('Name a colour./warm/Red./Seven.');
  });

  it('is named custom', () => {
    expect(customFormat({ prompt: template, labels: abc }).name).toBe('custom');
  });
});

describe('customFormat: parsing', () => {
  it('by default reads the label the answer starts with', () => {
    const format = customFormat({ prompt: template, labels: abc });
    expect(format.parse('A').verdict).toBe(1);
    expect(format.parse('B, because it answers').verdict).toBe(2);
    expect(format.parse('  \nB').verdict).toBe(2);
    expect(format.parse('C').verdict).toBe(0);
    expect(format.parse('I think B').verdict).toBe(0);
    expect(format.parse('').verdict).toBe(0);
  });

  it('tries the longest label first, so "A" never shadows "AB"', () => {
    const short = customFormat({ prompt: template, labels: { one: 'A', two: 'AB' } });
    expect(short.parse('AB').verdict).toBe(2);
    expect(short.parse('A').verdict).toBe(1);
    const long = customFormat({ prompt: template, labels: { one: 'AB', two: 'A' } });
    expect(long.parse('AB is better').verdict).toBe(1);
    expect(long.parse('A is better').verdict).toBe(2);
  });

  it('matches labels literally, regular-expression characters included', () => {
    const format = customFormat({ prompt: template, labels: { one: 'Output (a)', two: 'Output (b)' } });
    expect(format.parse('Output (b)').verdict).toBe(2);
    expect(format.parse('Output (a)').verdict).toBe(1);
    expect(format.parse('Output a').verdict).toBe(0);
  });

  it('keeps the trimmed answer as the reason, and none for an empty answer', () => {
    const format = customFormat({ prompt: template, labels: abc });
    expect(format.parse(' B\nshorter \n')).toEqual({ verdict: 2, reason: 'B\nshorter' });
    expect(format.parse('  ')).toEqual({ verdict: 0 });
  });

  it('exposes its labels for verdict mode only without a parse pattern', () => {
    expect(customFormat({ prompt: template, labels: abc }).labels).toEqual(abc);
    const withParse = customFormat({ prompt: template, labels: abc, parse: '\\[\\[(A|B|C)\\]\\]' });
    expect(withParse.labels).toBeUndefined();
    expect('labels' in withParse).toBe(false);
  });

  it('with a parse pattern, reads the label from its first group', () => {
    const format = customFormat({ prompt: template, labels: abc, parse: '\\[\\[(A|B|C)\\]\\]' });
    expect(format.parse('Response B is more accurate ... [[B]]').verdict).toBe(2);
    expect(format.parse('Both fine. [[C]]').verdict).toBe(0);
    expect(format.parse('[[A]] on reflection').verdict).toBe(1);
    expect(format.parse('A is better, no brackets').verdict).toBe(0);
    expect(format.parse('[[D]]').verdict).toBe(0);
  });

  it('trims the group and ignores a group that is not a label', () => {
    const format = customFormat({ prompt: template, labels: abc, parse: '\\[\\[(.*?)\\]\\]' });
    expect(format.parse('verdict: [[ B ]]').verdict).toBe(2);
    expect(format.parse('verdict: [[Z]]').verdict).toBe(0);
  });
});

describe('customFormatProblems', () => {
  const valid: CustomFormatOptions = { prompt: template, labels: abc };

  it('finds none in a complete format', () => {
    expect(customFormatProblems(valid)).toEqual([]);
    expect(customFormatProblems({ ...valid, promptWithInput: '{{instruction}} {{ input }} {{response1}} {{response2}}', parse: '\\[\\[(A|B|C)\\]\\]' })).toEqual([]);
  });

  it('flags an unknown placeholder, at the template it is in', () => {
    expect(customFormatProblems({ ...valid, prompt: `{{question}} ${template}` })).toEqual([{ key: 'prompt', message: expect.stringContaining('unknown placeholder {{question}}') }]);
    expect(customFormatProblems({ ...valid, promptWithInput: `${template} {{ context }}` })).toEqual([
      { key: 'promptWithInput', message: expect.stringContaining('unknown placeholder {{context}}') },
    ]);
  });

  it('flags a template without {{response2}} (or {{response1}})', () => {
    expect(customFormatProblems({ ...valid, prompt: '{{instruction}} {{response1}}' })).toEqual([{ key: 'prompt', message: expect.stringContaining('{{response2}}') }]);
    expect(customFormatProblems({ ...valid, promptWithInput: '{{input}} {{response2}}' })).toEqual([{ key: 'promptWithInput', message: expect.stringContaining('{{response1}}') }]);
  });

  it('flags duplicate labels', () => {
    expect(customFormatProblems({ ...valid, labels: { one: 'A', two: 'A' } })).toEqual([{ key: 'labels', message: expect.stringContaining('must differ') }]);
    expect(customFormatProblems({ ...valid, labels: { one: 'A', two: 'B', tie: 'A' } })).toEqual([{ key: 'labels', message: expect.stringContaining('must differ') }]);
  });

  it('flags an invalid regular expression', () => {
    expect(customFormatProblems({ ...valid, parse: '\\[\\[(A|B' })).toEqual([{ key: 'parse', message: expect.stringContaining('not a valid regular expression') }]);
  });

  it('flags a regular expression without a capture group', () => {
    expect(customFormatProblems({ ...valid, parse: '\\[\\[[ABC]\\]\\]' })).toEqual([{ key: 'parse', message: expect.stringContaining('capture group') }]);
    expect(customFormatProblems({ ...valid, parse: '\\[\\[(?:A|B|C)\\]\\]' })).toEqual([{ key: 'parse', message: expect.stringContaining('capture group') }]);
  });
});

// Our own registry (core/judge-formats/judge-formats.ts): a judge config's `format` and its flat option keys.
describe('judgeFormatProblems', () => {
  it('finds none for a built-in format without options, or Prometheus with a rubric', () => {
    for (const format of ['pandalm', 'judgelm', 'prometheus', 'auto-j'] as const) expect(judgeFormatProblems({ format })).toEqual([]);
    expect(judgeFormatProblems({ format: 'prometheus', rubric: 'Is it correct?' })).toEqual([]);
  });

  it('flags `rubric` on a format other than prometheus', () => {
    expect(judgeFormatProblems({ format: 'pandalm', rubric: 'Is it correct?' })).toEqual([{ key: 'rubric', message: expect.stringContaining('prometheus') }]);
    expect(judgeFormatProblems({ format: 'custom', rubric: 'Is it correct?', prompt: template, labels: abc })).toEqual([{ key: 'rubric', message: expect.stringContaining('prometheus') }]);
  });

  it('flags the custom keys on a built-in format', () => {
    const problems = judgeFormatProblems({ format: 'judgelm', prompt: template, labels: abc, parse: '(A)' });
    expect(problems.map((problem) => problem.key).sort()).toEqual(['labels', 'parse', 'prompt']);
  });

  it('flags a custom format without a prompt, or without labels', () => {
    expect(judgeFormatProblems({ format: 'custom' })).toEqual([{ key: 'format', message: expect.stringContaining('`prompt`') }]);
    expect(judgeFormatProblems({ format: 'custom', labels: abc })).toEqual([{ key: 'format', message: expect.stringContaining('`prompt`') }]);
    expect(judgeFormatProblems({ format: 'custom', prompt: template })).toEqual([{ key: 'format', message: expect.stringContaining('`labels`') }]);
  });

  it('passes a custom format through customFormatProblems', () => {
    expect(judgeFormatProblems({ format: 'custom', prompt: template, labels: abc })).toEqual([]);
    expect(judgeFormatProblems({ format: 'custom', prompt: '{{response1}}', labels: abc, parse: 'A|B' })).toEqual([
      { key: 'prompt', message: expect.stringContaining('{{response2}}') },
      { key: 'parse', message: expect.stringContaining('capture group') },
    ]);
  });
});

describe('createJudgeFormat', () => {
  it.each(['pandalm', 'judgelm', 'prometheus', 'auto-j'] as const)('returns the built-in %s, with labels only for pandalm', (name: JudgeFormatName) => {
    const format = createJudgeFormat({ format: name });
    expect(format.name).toBe(name);
    if (name === 'pandalm') expect(format.labels).toEqual({ one: '1', two: '2', tie: 'Tie' });
    else expect(format.labels).toBeUndefined();
  });

  it('gives each built-in its own prompt', () => {
    const prompts = (['pandalm', 'judgelm', 'prometheus', 'auto-j'] as const).map((format) => createJudgeFormat({ format }).buildPrompt(request));
    expect(new Set(prompts).size).toBe(4);
    expect(prompts[0]?.endsWith('### Evaluation:\n')).toBe(true);
    expect(prompts[1]?.endsWith('### Response:')).toBe(true);
    expect(prompts[2]?.endsWith('###Feedback:  [/INST]')).toBe(true);
    expect(prompts[3]?.endsWith("you've provided. [/INST]")).toBe(true);
  });

  it("passes Prometheus its rubric, and the library's helpfulness criterion without one", () => {
    expect(createJudgeFormat({ format: 'prometheus', rubric: 'Is it concise?' }).buildPrompt(request)).toContain('###Score Rubric:\nIs it concise?\n\n###Feedback: ');
    expect(createJudgeFormat({ format: 'prometheus' }).buildPrompt(request)).toContain(
      "###Score Rubric:\n[Does the model provide relevant and useful responses to the user's needs or questions?]\n\n###Feedback: ",
    );
  });

  it('compiles a valid custom format', () => {
    const format = createJudgeFormat({ format: 'custom', prompt: template, labels: abc });
    expect(format.name).toBe('custom');
    expect(format.labels).toEqual(abc);
    expect(format.buildPrompt(request)).toBe('Instruction: Name a colour.\nA: Red.\nB: Seven.\nBetter:');
    expect(format.parse('B').verdict).toBe(2);
  });

  it('throws on an incomplete or invalid custom format', () => {
    expect(() => createJudgeFormat({ format: 'custom' })).toThrow(/invalid custom format/);
    expect(() => createJudgeFormat({ format: 'custom', prompt: template, labels: { one: 'A', two: 'A' } })).toThrow(/labels must differ/);
  });
});
