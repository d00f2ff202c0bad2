"""HTTP and WebSocket interface (FastAPI). The only place errors become status codes."""
