"""Make a file or folder really read-only for the test process, also when the tests run as
root (who may write any file whatever its mode): then the immutable flag (``chattr +i``) is
set as well, which stops root too.

    with read_only(path):
        ...  # writing path fails with EACCES/EPERM
"""

from __future__ import annotations

import os
import stat
import subprocess
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def read_only(path: Path):
    mode = path.stat().st_mode
    path.chmod(stat.S_IMODE(mode) & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    immutable = os.geteuid() == 0
    if immutable:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        yield path
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(stat.S_IMODE(mode))
