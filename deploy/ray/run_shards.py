#!/usr/bin/env python3
"""Run Form Studio's sharded keypoint extraction as Ray tasks: one task per shard, each running
'form-studio keypoints --manifest M --shard I/N --out DIR' (the app's own extraction: same pose code, sampling
and cache key). A task that dies is retried by Ray; the shard resumes from its scratch cache and writes the
same result. Afterwards: 'form-studio keypoints import DIR' in the project.

  python run_shards.py --manifest videos.jsonl --shards 8 --out /shared/shards [--address auto]
                       [--cli "node /app/bin/form-studio.js"] [--videos /shared/videos] [--cpus-per-shard 1]
"""
import argparse, json, os, re, shlex, subprocess, sys, time

import ray


class ShardKilled(RuntimeError):
    """The shard's process was killed (OOM killer, preemption): Ray runs the task again and it resumes."""


# Retried: the task's worker dying (max_retries) and the shard's process killed by a signal (ShardKilled); a shard
# that exits with an error (bad manifest, …) is not: it would fail the same way again.
@ray.remote(max_retries=2, retry_exceptions=[ShardKilled])
def extract_shard(cli, manifest, index, count, out, videos):
    cmd = cli + ['keypoints', '--manifest', manifest, '--shard', f'{index}/{count}', '--out', out] + (['--videos', videos] if videos else [])
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode < 0:
        raise ShardKilled(f'shard {index}/{count} was killed by signal {-r.returncode}')
    if r.returncode != 0:
        raise RuntimeError(f'shard {index}/{count} exited {r.returncode}: {r.stderr.strip()[-2000:]}')
    with open(os.path.join(out, f'shard-{index:05d}-of-{count:05d}.json')) as f:
        s = json.load(f)
    resumed = re.search(r'(\d+) already extracted', r.stderr + r.stdout)
    return {'shard': index, 'videos': s['videos'], 'ok': s['ok'], 'noPose': s['noPose'], 'failed': [x['path'] for x in s['failed']], 'seconds': s['seconds'], 'alreadyExtracted': int(resumed.group(1)) if resumed else 0, 'node': ray.util.get_node_ip_address()}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--manifest', required=True)
    ap.add_argument('--shards', type=int, required=True)
    ap.add_argument('--out', required=True, help='shared folder every node writes its shard to')
    ap.add_argument('--videos', default=None, help="where the manifest's relative paths live on the nodes")
    ap.add_argument('--cli', default=os.environ.get('FORM_STUDIO_CLI', 'form-studio'), help='how to run the CLI on a node')
    ap.add_argument('--cpus-per-shard', type=float, default=1)
    ap.add_argument('--address', default=None, help='Ray cluster address (auto, ray://host:10001); default: a local Ray')
    ap.add_argument('--num-cpus', type=int, default=None, help='CPUs of the local Ray (no --address)')
    a = ap.parse_args(argv)
    if a.address:
        ray.init(address=a.address, include_dashboard=False)
    else:
        ray.init(num_cpus=a.num_cpus, include_dashboard=False)
    t0 = time.time()
    cli, out = shlex.split(a.cli), os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    tasks = [extract_shard.options(num_cpus=a.cpus_per_shard).remote(cli, os.path.abspath(a.manifest), i, a.shards, out, a.videos) for i in range(a.shards)]
    results = ray.get(tasks)
    for r in results:
        print(json.dumps(r))
    total = {'shards': a.shards, 'videos': sum(r['videos'] for r in results), 'ok': sum(r['ok'] for r in results), 'failed': sum(len(r['failed']) for r in results), 'seconds': round(time.time() - t0, 1)}
    print(json.dumps(total))
    return 0


if __name__ == '__main__':
    sys.exit(main())
