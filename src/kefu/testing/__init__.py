"""Test doubles kefu ships, so tests (kefu's and a deployment's) never need a real model or network:
``openai_server.ScriptedChatServer`` is a real local HTTP server speaking OpenAI's chat-completions
protocol (streaming, tool calls) with scripted replies, recording every request. It uses FastAPI and
uvicorn: a testing adapter, never imported by kefu's runtime."""
