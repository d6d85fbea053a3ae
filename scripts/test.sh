#!/usr/bin/env bash
# Install coreduce with its locked dependencies and run the whole test suite.
# pytest exits 5 when it collected no test; that is a failure here.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet -r requirements.lock -e ".[test]"
python3 -m pytest -n 2 "$@"
