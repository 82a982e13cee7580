import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { validate } from 'dockerfile-utils';

// LSP DiagnosticSeverity: 1 error, 2 warning.
const ERROR = 1;
const WARNING = 2;

// deploy/ has no cluster to run on here: the Job manifest is checked against the Kubernetes API schema (the
// OpenAPI schemas shipped in kubernetes-models) and the container definition is linted (dockerfile-utils, the
// validator behind the Dockerfile language server) plus the project's own rules (non-root, Debian, tools).
const jobYaml = readFileSync('deploy/kubernetes/keypoints-job.yaml', 'utf8');
const dockerfile = readFileSync('deploy/container/Dockerfile', 'utf8');

describe('deploy/kubernetes/keypoints-job.yaml', () => {
  const doc = yaml.load(jobYaml) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  it('is a valid batch/v1 Job for the Kubernetes API schema', () => {
    expect(() => new Job(doc).validate()).not.toThrow();
  });

  it('is an Indexed Job whose shard count matches its completions, non-root, with bounded resources and the two volumes', () => {
    const spec = doc.spec;
    expect(spec.completionMode).toBe('Indexed');
    const c = spec.template.spec.containers[0];
    const shardArg = c.args[c.args.indexOf('--shard') + 1] as string;
    expect(shardArg).toBe(`/${spec.completions}`); // I from JOB_COMPLETION_INDEX
    expect(spec.parallelism).toBeLessThanOrEqual(spec.completions);
    expect(spec.template.spec.restartPolicy).toBe('Never');
    expect(spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(c.resources.requests.cpu).toBeTruthy();
    expect(c.resources.limits.memory).toBeTruthy();
    const mounts = Object.fromEntries(
      c.volumeMounts.map((m: { name: string; mountPath: string; readOnly?: boolean }) => [m.name, m]),
    );
    expect(mounts.videos.readOnly).toBe(true); // the user's videos are only read
    expect(c.args).toContain(mounts.videos.mountPath);
    expect(c.args.find((a: string) => a.startsWith(mounts.results.mountPath))).toBeTruthy();
  });

  it('the schema check can fail: wrong types and unknown fields are refused', () => {
    const bad = structuredClone(doc);
    bad.spec.completions = 'eight';
    expect(() => new Job(bad).validate()).toThrow(/completions/);
    const bad2 = structuredClone(doc);
    bad2.spec.template.spec.containers[0].resources.requests = 'lots';
    expect(() => new Job(bad2).validate()).toThrow();
    const bad3 = structuredClone(doc);
    delete bad3.spec.template.spec.containers[0].name;
    expect(() => new Job(bad3).validate()).toThrow(/name/);
  });
});

describe('deploy/container/Dockerfile', () => {
  it('lints clean', () => {
    const problems = validate(dockerfile).filter((d) => d.severity === ERROR || d.severity === WARNING);
    expect(problems.map((p) => `${p.range.start.line + 1}: ${p.message}`)).toEqual([]);
    // The linter does catch mistakes (so the check above can fail).
    expect(validate('FROM debian:bookworm\nRUNN echo hi\nEXPOSE 80000\n').length).toBeGreaterThan(0);
  });

  it('runs the app on Debian with Chromium and ffmpeg, as a non-root user, without downloading at run time', () => {
    const stages = dockerfile.split(/^FROM /m).slice(1);
    const run = stages[stages.length - 1];
    expect(run).toMatch(/^node:[\d.]+-bookworm-slim/); // Debian 12
    expect(run).toMatch(/apt-get install[^\n]*\bchromium\b[^\n]*\bffmpeg\b/);
    const users = [...run.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBeTruthy();
    expect(users.at(-1)).not.toMatch(/^(root|0)$/);
    expect(run).toMatch(/CHROMIUM_PATH=\/usr\/bin\/chromium/);
    expect(run).toMatch(/ENTRYPOINT \[.*"\/app\/bin\/form-studio\.js"\]/);
    expect(run).not.toMatch(/\b(curl|wget)\b/);
  });
});
