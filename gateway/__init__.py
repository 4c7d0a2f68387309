"""FastAPI gateway: store page with chat widget, chat API, health."""
