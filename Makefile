# Front door. `make report` and `make test` bootstrap .venv by themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?=
ARGS   ?=

.PHONY: report report-en test test-fast lint lab kernel bench clean lock manifest help

help:
	@echo "make report   build every section, the reader's edition and the audit into build/"
	@echo "make report-en  the same in English, into build/en/"
	@echo "make test     lint, then the whole test suite (unit tests in parallel; notebooks executed, the report built once)"
	@echo "make test-fast  the unit tests only: no kernels, no PDF (under a minute)"
	@echo "make lint     ruff (rules in pyproject.toml)"
	@echo "make lab      open JupyterLab with the project kernel (PORT=… IP=…: where it listens)"
	@echo "make bench    run the benchmark (benchmarks/)"
	@echo "make clean    remove build/ (keeps .venv)"

# Re-install only when the pins or the package metadata change.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ecrights-2019)" >/dev/null
	@touch $(STAMP)

report: $(STAMP)
	$(BIN)/python run_all.py $(if $(JOBS),--jobs $(JOBS)) $(ARGS)

# the English pair (reader's edition and audit) into build/en/
report-en: $(STAMP)
	$(BIN)/python run_all.py --lang en $(if $(JOBS),--jobs $(JOBS)) $(ARGS)

# Unit tests: every test not marked integration (executes notebooks) or pdf (writes a PDF).
# A new test is in this tier unless it uses the session's build or is marked. They run on
# WORKERS processes (pytest-xdist; auto: one per core), each test in one of them.
WORKERS ?= auto
FAST   := -m "not integration and not pdf" -n $(WORKERS)

# The unit tests in parallel, then the rest in one process: the integration tests share one
# build per session (conftest.built), which several workers would each build again. Exit 5
# (ARGS selected none of that tier) is not a failure.
test: lint
	$(BIN)/python -m pytest -q $(FAST) $(ARGS) || [ $$? -eq 5 ]
	$(BIN)/python -m pytest -q -m "integration or pdf" $(ARGS) || [ $$? -eq 5 ]

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q $(FAST) $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

# PORT / IP: where JupyterLab listens (its defaults: 8888, or the next free port; localhost only).
# IP=0.0.0.0 serves every interface (a remote machine: open the URL it prints, with its token).
PORT   ?=
IP     ?=
lab: $(STAMP)
	$(BIN)/jupyter lab $(if $(PORT),--port=$(PORT)) $(if $(IP),--ip=$(IP) --no-browser) $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

# For a Jupyter outside .venv: register the project kernel for this user.
kernel: $(STAMP)
	$(BIN)/python -m ipykernel install --user --name ecrights-2019 --display-name "Python 3 (ecrights-2019)"

bench: $(STAMP)
	$(BIN)/python benchmarks/benchmark.py $(ARGS)

manifest: $(STAMP)
	$(BIN)/python run_all.py --update-manifest

# Refresh the full lock from the top-level pins (needs the package index).
lock:
	rm -rf /tmp/ecrights-lock && $(PYTHON) -m venv /tmp/ecrights-lock
	/tmp/ecrights-lock/bin/pip install --quiet -e .
	/tmp/ecrights-lock/bin/pip freeze --exclude-editable | grep -v '^ecrights' > /tmp/ecrights-lock.txt
	{ printf '%s\n' "# Full pinned dependency tree for the pip path (Python 3.11, Linux x86_64)." \
	  "# Regenerate: make lock   (top-level pins live in pyproject.toml; environment.yml mirrors them)"; \
	  cat /tmp/ecrights-lock.txt; } > /tmp/ecrights-lock.new && mv /tmp/ecrights-lock.new requirements.lock

clean:
	rm -rf build/
