# HubGuide. The two commands of the README are the contract: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 3
export RASA_TELEMETRY_ENABLED := false

.PHONY: run cluster test bench train kb webchat chat lint format validate install clean

run: install kb train webchat ## set everything up and start the assistant
	$(BIN)/python -m ops.run

cluster: install train webchat ## two Rasa replicas + two action servers behind nginx, on PostgreSQL and Redis
	bash ops/install_nginx.sh
	$(BIN)/python -m ops.run_cluster

test: install ## lint, then the whole test suite (unit, integration, end-to-end, browser)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	bash ops/pytest.sh

bench: install webchat ## benchmarks -> bench/RESULTS.md and bench/results.json (the journeys part serves the web chat)
	$(BIN)/python -m bench.run

install: $(STAMP)

$(STAMP): pyproject.toml requirements/constraints.txt
	@py=$$(bash ops/find_python.sh) || exit 1; \
	if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
		echo "Creating the virtual environment with $$py"; rm -rf $(VENV); "$$py" -m venv $(VENV); \
	fi
	@echo "Installing pinned dependencies (the first time takes a few minutes: Rasa brings TensorFlow) …"
	$(BIN)/python -m pip install --progress-bar on -q --upgrade "pip==24.3.1"
	$(BIN)/python -m pip install --progress-bar on -c requirements/constraints.txt -e ".[dev,bench]"
	@touch $(STAMP)

kb: install ## import the knowledge base into the default SQLite file (idempotent)
	$(BIN)/hubguide kb import

train: install ## train the model, or reuse it when config, domain and data are unchanged
	$(BIN)/python -m ops.train

webchat: ## build the web chat widget's assets (npm, bundled: no CDN)
	bash webchat/build.sh

chat: ## terminal chat with a running assistant
	$(BIN)/python -m ops.chat

validate: install ## rasa data validate
	$(BIN)/rasa data validate --config config.yml --domain bot/domain --data bot/data --fail-on-warnings

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf models/*.tar.gz var .pytest_cache
