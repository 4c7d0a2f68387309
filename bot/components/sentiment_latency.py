"""Latency the sentiment component adds to a turn, two ways, on the same model:

- in Rasa: ONNX Runtime inside the NLU pipeline (what ships);
- as a model service: the same inference behind a local HTTP endpoint, one POST per message
  over a kept-alive connection (what calling a separate model service would cost at least).

Run from bot/: ``AISLE_STATE_DIR=… ../.venv-rasa/bin/python -m components.sentiment_latency``.
Prints one JSON line: p50/p95 in milliseconds for each.
"""

from __future__ import annotations

import http.client
import json
import socket
import statistics
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from rasa.shared.nlu.training_data.message import Message

from components.sentiment import SentimentAnnotator, model_folder

MESSAGES = [
    "these are all ugly and way too expensive",
    "show me green tea under 300",
    "great, the second one looks perfect, thanks!",
    "I want to talk to a person",
]


def percentiles(fn: Callable[[str], object], repeats: int) -> dict[str, float]:
    """p50 and p95 wall time of ``fn`` over MESSAGES, after a warm-up round."""
    for text in MESSAGES:
        fn(text)
    times: list[float] = []
    for i in range(repeats):
        start = time.perf_counter()
        fn(MESSAGES[i % len(MESSAGES)])
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
    }


def main(repeats: int = 200) -> None:
    component = SentimentAnnotator.create(SentimentAnnotator.get_default_config(), None, None, None)
    if component.model is None:
        raise SystemExit("no sentiment model: train one with `aisle train sentiment`")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else Nagle and delayed ACKs hold back every small reply

        def do_POST(self) -> None:
            text = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["text"]
            body = json.dumps(component.annotate([text])[0]).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1])
    connection.connect()
    connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def over_http(text: str) -> dict:
        connection.request("POST", "/sentiment", json.dumps({"text": text}))
        return json.loads(connection.getresponse().read())

    result = {
        "in_rasa_onnx": percentiles(lambda t: component.process([Message({"text": t})]), repeats),
        "model_service_http": percentiles(over_http, repeats),
        "model": str(model_folder()),
    }
    server.shutdown()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
