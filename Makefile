# Developer shortcuts. The benchmarks print figures, ratios to same-run baselines and PASS/MISS.
PYTHON ?= .venv/bin/python

.PHONY: bench bench-full bench-smoke

bench:            ## issue-10 benchmarks, quick sizes (a few minutes on 2 cores)
	$(PYTHON) bench/run_all.py

bench-full:       ## the sizes the issue names: 10k pipeline, 10k/50k/100k backlog (long)
	$(PYTHON) bench/run_all.py --full

bench-smoke:      ## tiny sizes: checks that every benchmark runs (figures mean nothing)
	$(PYTHON) bench/run_all.py --smoke
