"""The action server for containers: one real search first (embedding model, product store and
ranker loaded), then rasa-sdk's server in this one process, so a replica opens its port warm and
never fails its first search, and a killed process ends its container (the restart policy
brings it back) instead of leaving a port that no worker answers.

    python deploy/serve_actions.py --port 5055
"""

import argparse
import logging

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic

from actions.constraints import Constraints
from actions.search import find

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args()
    logging.info("warm-up search: %d products found", len(find(Constraints(product="tea")).hits))
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor)
    app.prepare(host=args.host, port=args.port, single_process=True, motd=False)
    Sanic.serve_single(app)
