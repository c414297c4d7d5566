# Newsroom: `make run` starts the local stack, `make test` runs the tests.
# The Python: PYTHON if given (`make test PYTHON=python3.12`), else the newest supported one found
# (3.14, 3.13, 3.12, 3.11: ops/find_python.sh). Each version gets its own venv, .venv-3.X; an
# existing .venv built by that version is used instead. Packaging follows it: the Lambda runtime,
# the wheels chalice downloads and the bytecode shipped are those of this Python.
ifeq ($(filter clean,$(MAKECMDGOALS)),)
FOUND := $(shell sh ops/find_python.sh $(PYTHON))
ifeq ($(FOUND),)
$(error no supported Python, see above)
endif
endif
PYTHON_EXE := $(word 1,$(FOUND))
PYTHON_VERSION := $(word 2,$(FOUND))
VENV := $(if $(filter $(PYTHON_VERSION),$(shell .venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)),.venv,.venv-$(PYTHON_VERSION))
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# A venv whose interpreter is gone (the Python was upgraded or removed) is built again.
$(if $(PYTHON_VERSION),$(shell $(PY) -c '' 2>/dev/null || rm -f $(STAMP)))

.PHONY: run reset test test-deploy lint generate package deploy clean mutation

# The site to generate, package or deploy: sites/$(SITE).json (docs/deploy.md); its stage is named after it.
SITE ?= example-global
STAGE ?= $(SITE)
SITE_DIR := build/sites/$(SITE)

$(STAMP): requirements.txt requirements-dev.txt requirements-mutation.txt constraints.txt
	$(PYTHON_EXE) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==26.2.2.post1  # chalice 1.34.0 requires pip<26.3
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m local.stack

reset: $(STAMP)
	rm -rf .localdata
	$(PY) -m local.stack

AXE := build/npm/node_modules/axe-core/axe.min.js

# axe-core for the browser tests (tests/browser), pinned, from the npm registry.
$(AXE):
	npm install --prefix build/npm --no-save --no-audit --no-fund axe-core@4.14.1

# Two processes (pytest-xdist), a test file at a time; tests/conftest.py keeps the tests sharing a
# session-scoped server (the browser tests' stack, MariaDB, the built package) in one.
test: $(STAMP) $(AXE)
	$(PY) -m pytest -n 2 --dist loadfile

# Packaging and the deployment tests only (CI runs them on a second Python: .ci/run).
test-deploy: $(STAMP)
	$(PY) -m pytest tests/deploy

# Deploy to AWS (credentials, region and the SSM token secret first: docs/deploy.md).
deploy: export PYTHONDONTWRITEBYTECODE = 1
deploy: generate
	$(PY) -m ops.preflight --stage $(STAGE)
	$(PY) -m ops.cli --stage $(STAGE) provision
	cd $(SITE_DIR) && $(CURDIR)/$(VENV)/bin/chalice package --stage $(STAGE) $(CURDIR)/build/package-$(STAGE)
	$(PY) -m ops.cli --stage $(STAGE) optimise-package
	cd $(SITE_DIR) && $(CURDIR)/$(VENV)/bin/chalice deploy --stage $(STAGE)
	$(PY) -m ops.cli --stage $(STAGE) enable-batch-failures
	$(PY) -m ops.cli --stage $(STAGE) not-found-page
	$(PY) -m ops.cli --stage $(STAGE) tracing-permission
	$(PY) -m ops.site_check --stage $(STAGE)
	@echo "API: $$(cd $(SITE_DIR) && $(CURDIR)/$(VENV)/bin/chalice url --stage $(STAGE))"

# Remove a deployed site's functions, roles, triggers, schedule and API; its data (tables, bucket) stays
# unless asked twice: DATA=delete and the site's name typed at the prompt (ops/destroy.py).
.PHONY: destroy rehearse
destroy: generate
	$(PY) -m ops.preflight --stage $(STAGE) --where-only
	cd $(SITE_DIR) && $(CURDIR)/$(VENV)/bin/chalice delete --stage $(STAGE)
	$(PY) -m ops.destroy --stage $(STAGE) $(if $(DATA),--data $(DATA))

# make deploy, again, then make destroy, for a global and a China site, against moto's server with fake
# credentials (ops/rehearsal.py; docs/deploy.md: what it proves and what it cannot).
rehearse: $(STAMP)
	$(PY) -m ops.rehearsal

# build/sites/$(SITE)/: a chalice project for the site, generated from sites/$(SITE).json (ops/site.py):
# links to the code, its stage config and IAM policies, and merge.json, the resources merged into chalice's.
generate: export PYTHONDONTWRITEBYTECODE = 1
generate: $(STAMP)
	$(PY) -m ops.site generate $(SITE)

# One CloudFormation/SAM template with everything for the site, in build/package-$(SITE)/ (one stack a site).
package: export PYTHONDONTWRITEBYTECODE = 1
package: generate
	cd $(SITE_DIR) && AWS_DEFAULT_REGION=$$($(CURDIR)/$(PY) -c 'import json; print(json.load(open("$(CURDIR)/sites/$(SITE).json"))["region"])') \
		$(CURDIR)/$(VENV)/bin/chalice package --stage $(SITE) --merge-template merge.json $(CURDIR)/build/package-$(SITE)
	$(PY) -m ops.cli --stage $(SITE) optimise-package build/package-$(SITE)/deployment.zip

# A deployed stage's health (alarms, dead letters, last deploy, table sizes) and its recent log lines;
# REQUEST=<an answer's X-Request-Id> shows one request's lines (docs/operations.md).
.PHONY: status logs
status: $(STAMP)
	$(PY) -m ops.cli --stage $(STAGE) status

logs: $(STAMP)
	$(PY) -m ops.cli --stage $(STAGE) logs $(if $(REQUEST),--request-id $(REQUEST))

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

clean:
	rm -rf .venv .venv-3.* .pytest_cache

# Benchmarks (bench/RESULTS.md), not part of `make test`. pyvips is only for the thumbnail
# comparison: if it cannot be installed, that column is skipped.
.PHONY: bench
bench: $(STAMP)
	-$(PY) -m pip install --quiet -r requirements-bench.txt
	$(PY) -m bench.run

# Mutation testing (mutation/README.md), not part of `make test`: mutmut over every Lambda module and ops/dedecms
# against the unit tests, then a per-module report that fails below a 90% kill rate or on a
# survivor missing from mutation/equivalent/.
# It resumes from the verdicts in mutation/progress.tsv that still hold (mutation/progress.py); FRESH=1 starts over.
# It writes them down again when mutmut ends or fails; after stopping it by hand: python -m mutation.progress save.
mutation: $(STAMP)
	rm -rf mutants
	$(if $(FRESH),,$(PY) -m mutation.progress restore)
	@# mutmut runs the type check (`python -m mypy`) inside mutants/: a relative PATH there finds no mypy, and then
	@# it refuses nothing, silently. Hence the absolute path.
	PATH=$(abspath $(VENV))/bin:$$PATH $(VENV)/bin/mutmut run --max-children 2 > mutation-run.log 2>&1 \
		|| ($(PY) -m mutation.progress save; tail -c 3000 mutation-run.log; exit 1)
	$(PY) -m mutation.progress save
	$(PY) -m mutation.report > mutation/report.txt; status=$$?; cat mutation/report.txt; exit $$status
