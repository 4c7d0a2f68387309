"""Container health check: exit 0 when URL answers 200 within 4 s (the images have no curl).

python deploy/probe.py http://127.0.0.1:8000/healthz
"""

import sys
import urllib.request

try:
    with urllib.request.urlopen(sys.argv[1], timeout=4) as answer:
        sys.exit(0 if answer.status == 200 else 1)
except OSError as error:
    sys.exit(f"{sys.argv[1]}: {error}")
