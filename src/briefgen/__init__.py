"""briefgen: policy briefs from one YAML source, as PDF and HTML, per audience."""

import logging

__version__ = "0.1.0"

# The library only logs; the command line decides where log lines go.
logging.getLogger("briefgen").addHandler(logging.NullHandler())
