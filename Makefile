# The two commands of the README. Both set up what is missing first (scripts/bootstrap.sh).
.PHONY: sample test setup bench

setup:
	@scripts/bootstrap.sh

# The main job on the bundled sample documents (fixtures/): JSON Lines plus a summary.
sample: setup
	@mkdir -p out
	@.venv/bin/kehoach extract fixtures --out out/fixtures.jsonl; status=$$?; \
	  echo "records written to out/fixtures.jsonl"; [ $$status -le 1 ]

test: setup
	@.venv/bin/python -m pytest -q

bench: setup
	@.venv/bin/python benchmarks/extract_speed.py
