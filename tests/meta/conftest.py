"""Make `import catalog` work from the test modules whatever pytest's import mode is."""

import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
	sys.path.insert(0, HERE)
