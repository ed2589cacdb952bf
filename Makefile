# Livrili — everything runs from a fresh clone with these targets.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PORT   ?= 8000
PYTEST_ARGS ?=

SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system-deps web-deps web web-lint test-web-unit run test test-unit test-api test-e2e test-web test-infra lint format bench admin synth deploy clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

APT_INSTALL = $(SUDO) apt-get install -y -q $(1) >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -q >/dev/null && $(SUDO) apt-get install -y -q $(1) >/dev/null; }

## system-deps: from Debian's packages, where missing: poppler-utils (pdftoppm) for the invoice
## tests; Chromium and the Noto fonts (Arabic shaping) for the browser tests
system-deps:
	@command -v pdftoppm >/dev/null || { echo "installing poppler-utils (pdftoppm) for the invoice tests"; \
	  $(call APT_INSTALL,poppler-utils); }
	@{ test -x /usr/lib/chromium/chromium && test -d /usr/share/fonts/truetype/noto; } || \
	  { echo "installing chromium and fonts-noto-core for the browser tests"; \
	  $(call APT_INSTALL,chromium fonts-noto-core fonts-dejavu-core); }

## web-deps: Node.js (>= 20.19, Debian's where missing) and the npm packages of web/package-lock.json
WEB_STAMP := web/node_modules/.installed-$(shell cat web/package-lock.json | cksum | cut -d' ' -f1)
NODE_OK   := node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)'

web-deps: $(WEB_STAMP)

$(WEB_STAMP): web/package-lock.json
	@command -v node >/dev/null || { echo "installing Node.js"; $(call APT_INSTALL,nodejs npm); }
	@$(NODE_OK) || { echo "Node.js >= 20.19 is required (found $$(node --version))"; exit 1; }
	cd web && npm ci --no-audit --no-fund --loglevel=error
	rm -f web/node_modules/.installed-* && touch $@

## make web: the portals' client types from the API's OpenAPI document, type-check, build web/dist
web: setup web-deps
	$(PY) scripts/openapi_export.py web/shared/api/openapi.json
	cd web && npm run --silent build

web-lint: web-deps
	cd web && npx biome check .

test-web-unit: web-deps
	cd web && npx vitest run

## make run: local stack (moto + demo data + chalice local) with the mobile app, on 127.0.0.1:$(PORT)
run: setup web
	PORT=$(PORT) $(PY) scripts/devstack.py

## make test: lint + the whole suite (unit, api, e2e, the web units and the browser tests)
test: setup system-deps lint web web-lint test-web-unit synth
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

test-unit: setup
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

test-api: setup system-deps
	$(PY) -m pytest tests/api $(PYTEST_ARGS)

test-e2e: setup
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

## make test-web: the mobile app in Chromium against the local stack (screenshots in artifacts/)
test-web: setup system-deps web
	$(PY) -m pytest tests/web $(PYTEST_ARGS)

test-infra: synth
	$(PY) -m pytest tests/infra $(PYTEST_ARGS)

CDK_ENV := CDK_OUTDIR=cdk.out AWS_DEFAULT_REGION=eu-west-3 JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
CDK_CLI := npx --yes aws-cdk@2.1148.1

## make synth: both stages' CloudFormation into infra/cdk.out, offline (no AWS account, no docker);
## cdk-nag's AwsSolutions checks fail it on an unacknowledged finding
synth: setup web
	cd infra && $(CDK_ENV) ../$(PY) app.py

## make deploy STAGE=dev: with AWS credentials of the stage's account (bootstrapped once: cdk bootstrap);
## the stack, then the web apps' build into its bucket (scripts/deploy_web.py)
deploy: synth
	cd infra && $(CDK_CLI) deploy --app cdk.out livrili-$(STAGE) --require-approval broadening
	$(PY) scripts/deploy_web.py --stage $(STAGE)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup system-deps web
	$(PY) bench/cold_import.py
	$(PY) bench/dynamodb_calls.py
	$(PY) bench/search.py
	$(PY) bench/orders_http.py
	$(PY) bench/web_budget.py  # add --lighthouse for Lighthouse 12 (fetched with npx)

## make admin STAGE=dev USERNAME=... : create the first admin of a stage (password from LIVRILI_ADMIN_PASSWORD or prompt)
admin: setup
	$(PY) -m chalicelib.accounts.cli create-admin --stage $(STAGE) --username $(USERNAME)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache web/node_modules web/dist artifacts
