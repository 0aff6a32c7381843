"""HIS to BHYT gateway adapter (QĐ 130/4750/3176).

Importing the package does nothing: no engines, clients, keys or schedulers are
created at import time (see ``adapter.bootstrap``).
"""

__version__ = "0.1.0"
