"""A local Ray cluster for the tests that run deploy/'s Ray scripts with --address: started once, shared by them.
Prints one JSON line with the cluster's address once it is up; stops the cluster when its stdin closes."""
import json, sys
import ray

ctx = ray.init(num_cpus=int(sys.argv[1]), include_dashboard=False)
print(json.dumps({'address': ctx.address_info['gcs_address']}), flush=True)
sys.stdin.read()
ray.shutdown()
