"""Run one Kling generation in a separate process (for the kill -9 and two-process tests).

python kling_child.py BASE_URL ACCESS_KEY SECRET_KEY FOLDER PROMPT
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from kling_helpers import client_for_url, generate_record, job_of, provider_for  # noqa: E402


def main(argv: list[str]) -> int:
    base_url, ak, sk, folder, prompt = argv
    job = job_of(generate_record(prompt=prompt), Path(folder) / "clips" / "shot.mp4")
    provider = provider_for(client_for_url(base_url, ak, sk), Path(folder))
    result = provider.generate(job, lambda m: print(m, file=sys.stderr, flush=True))
    print(json.dumps({"task_id": result.task_id, "reused": result.details["reused"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
