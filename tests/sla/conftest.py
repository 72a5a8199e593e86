"""tests/sla: pure tests of tierdesk.sla (no database). Makes `sla_testkit` importable in any
pytest import mode."""

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
