from __future__ import annotations

import sys
from pathlib import Path

# The sample encounters live beside the tests; the golden files at tests/golden/mappers.
sys.path.insert(0, str(Path(__file__).parent))
