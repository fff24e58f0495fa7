# The two commands of the README. Both set up what is missing first (scripts/bootstrap.sh).
.PHONY: sample test setup bench

setup:
	@scripts/bootstrap.sh

# The main job on the bundled sample documents (fixtures/): into the SQLite store ./kehoach.db,
# with the JSON Lines records beside it, then the rows per table.
sample: setup
	@mkdir -p out
	@.venv/bin/kehoach extract fixtures --store --out out/fixtures.jsonl; status=$$?; \
	  echo "records written to out/fixtures.jsonl and ./kehoach.db"; [ $$status -le 1 ]
	@.venv/bin/kehoach db stats

test: setup
	@.venv/bin/python -m pytest -q

bench: setup
	@.venv/bin/python benchmarks/extract_speed.py
	@.venv/bin/python benchmarks/store_speed.py
