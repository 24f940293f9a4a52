/**
 * End to end: a finished sweep seeded into PostgreSQL, `pandasweep report` and `pandasweep leaderboard`
 * run as the real binary, and the HTML opened in headless Chromium (Debian's `chromium`, driven by
 * playwright-core) to check that the charts and tables are really there once a browser lays them out.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { buildSampleSweep, sampleSweepId, type SampleSweep } from '../../support/sample-sweep.js';
import { seedSampleSweep } from '../../support/seed-sample-sweep.js';
import { skipLoudly } from '../../support/skip-loudly.js';

const chromiumPath = process.env.PANDASWEEP_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = skipLoudly(existsSync(chromiumPath) ? null : `the report browser test: no Chromium at ${chromiumPath} (run scripts/install-chromium.sh)`) === null;

describe('pandasweep report and leaderboard', () => {
  let db: TestDatabase;
  let dir: string;
  let sample: SampleSweep;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    sample = buildSampleSweep();
    await seedSampleSweep(db.prisma, sample);
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-report-'));
    env = { DATABASE_URL: db.url, PANDASWEEP_HOME: dir, TEMPORAL_UI_URL: 'http://temporal.test:8080' };
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the report and prints a JSON summary', async () => {
    const run = await runCli(['report', sampleSweepId, '-o', path.join(dir, 'report.html'), '--json'], { env, cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const summary = JSON.parse(run.stdout) as { file: string; trials: number; judgments: number; best: { trialKey: string }[] };
    expect(summary.file).toBe(path.join(dir, 'report.html'));
    expect(summary.trials).toBe(sample.trials.length);
    expect(summary.judgments).toBe(sample.judgments.length);
    expect(summary.best.map((b) => b.trialKey)).toEqual([sample.best.trialKey]);
    const html = await readFile(summary.file, 'utf8');
    expect(html).toContain(sample.best.checkpointPath!);
    expect(html).toContain('http://temporal.test:8080/namespaces/default/workflows/');
    // The failed trial's cause and the logs of its last job attempt, not of an earlier one.
    const failed = sample.trials.find((t) => t.status === 'failed')!;
    const failures = html.match(/<section id="failures">[\s\S]*?<\/section>/)![0];
    expect(failures).toContain('train job for &lt;trial&gt; ran out of GPU memory');
    expect(failures).toContain(failed.lastJob.stderrPath);
    expect(failures).not.toContain('first-attempt');
  }, 120_000);

  it('exits with 2 and names the known sweeps for an unknown sweep', async () => {
    const run = await runCli(['report', 'no-such-sweep', '-o', path.join(dir, 'x.html')], { env, cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('No sweep "no-such-sweep"');
    expect(run.stderr).toContain(sampleSweepId);
    expect(existsSync(path.join(dir, 'x.html'))).toBe(false);
  }, 120_000);

  it('prints the leaderboard as a table, Markdown and JSON', async () => {
    const [table, markdown, json] = await Promise.all([
      runCli(['leaderboard', sampleSweepId], { env, cwd: dir }),
      runCli(['leaderboard', sampleSweepId, '--markdown'], { env, cwd: dir }),
      runCli(['leaderboard', sampleSweepId, '--json'], { env, cwd: dir }),
    ]);
    for (const run of [table, markdown, json]) expect(run.exitCode, run.stderr).toBe(0);
    for (const line of table.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    const winner = sample.standings.find((s) => s.rank === 1)!;
    expect(table.stdout).toContain(`${winner.ciLow.toFixed(0)}..${winner.ciHigh.toFixed(0)}`);
    expect(markdown.stdout.split('\n').filter((l) => /^\| \d+ \|/.test(l))).toHaveLength(sample.standings.length);
    const doc = JSON.parse(json.stdout) as { baseModels: { best: { trialKey: string }; rows: { trialKey: string; block: number; rating: number }[] }[]; failed: unknown[] };
    expect(doc.baseModels[0]!.best.trialKey).toBe(sample.best.trialKey);
    expect(doc.baseModels[0]!.rows.map((r) => r.trialKey)).toEqual([...sample.standings].sort((a, b) => a.rank - b.rank).map((s) => s.trialKey));
    expect(doc.failed).toHaveLength(1);
  }, 120_000);

  describe.skipIf(!hasChromium)('in headless Chromium', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
    });

    it('lays out the charts and tables', async () => {
      const file = path.join(dir, 'browser.html');
      const run = await runCli(['report', sampleSweepId, '-o', file], { env, cwd: dir });
      expect(run.exitCode, run.stderr).toBe(0);
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const ranked = sample.standings.length;

      // Each chart is rendered with a non-empty box.
      for (const chart of ['ratings', 'win-rates', 'curve-loss', 'curve-eval_loss', 'effect-learning_rate', 'effect-epochs', 'effect-optimizer', 'verdict-shares', 'verdict-confidence']) {
        const box = await page.locator(`svg[data-chart="${chart}"]`).boundingBox();
        expect(box, chart).not.toBeNull();
        expect(box!.width * box!.height, chart).toBeGreaterThan(1000);
      }
      expect(await page.locator('svg[data-chart="ratings"] circle.rating-dot').count()).toBe(ranked);
      expect(await page.locator('svg[data-chart="ratings"] g.best').count()).toBe(1);
      expect(await page.locator('svg[data-chart="win-rates"] rect.cell').count()).toBe(ranked * (ranked - 1));
      expect(await page.locator('svg[data-chart="curve-loss"] path.series').count()).toBe(sample.trials.length);

      // Tables: best trial with its checkpoint, leaderboard rows, one table per block.
      await expect.poll(() => page.locator('table.best td.checkpoint').innerText()).toBe(sample.best.checkpointPath);
      expect(await page.locator('table.leaderboard tbody tr').count()).toBe(ranked);
      expect(await page.locator('table.leaderboard tbody tr.best').count()).toBe(1);
      expect(await page.locator('table.block-table').count()).toBe(2);
      expect(await page.locator('table.block-table tbody tr').count()).toBe(sample.trials.length);

      // Judge statistics and example judgments with reasons.
      const stats = await page.locator('table.judge-stats').innerText();
      expect(stats).toMatch(/order-conflict rate[^\n]*\d+\.\d%/);
      expect(stats).toMatch(/tie rate[^\n]*\d+\.\d%/);
      expect(await page.locator('article.example').count()).toBeGreaterThan(0);
      expect(await page.locator('article.example .reason').first().innerText()).toContain('follows the instruction');

      // Workflow links go to the configured Temporal UI, and nothing was fetched from the network.
      const href = await page.locator('table.best a.workflow-link').getAttribute('href');
      expect(href).toBe(`http://temporal.test:8080/namespaces/default/workflows/${encodeURIComponent(`${sampleSweepId}/llama-7b/${sample.best.trialKey}`)}`);
      expect(requests).toEqual([]);
      await page.close();
    }, 120_000);
  });
});
