"""A warm `make run`: nothing changed since the last training, so the model is reused.

`make run` calls `python -m ops.train` before starting the servers; with unchanged config,
domain and training data it finds the latest model's input fingerprint equal to the inputs'
and trains nothing. Timed here on a copy of the model the benchmark trained (recorded as
trained from the current inputs, which it was), with the check that no new model file appears;
the servers' start-up to the first reply is the latency part's, so the warm start is their sum.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from ops.stack import ROOT, VENV_BIN
from ops.train import SUFFIX, inputs_fingerprint

#: what `python -m ops.train` does, with the models folder given (a new interpreter, as make's)
_REUSE = (
    "import sys; from pathlib import Path; from ops.train import train; "
    "print(train(out=Path(sys.argv[1]), quiet=True))"
)


def measure(model: Path, work: Path) -> dict:
    """Seconds of the reuse check (a new Python process, as `make run` starts one) and whether
    it left the models folder as it was."""
    folder = work / "warm-start-models"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    copy = folder / model.name
    shutil.copy2(model, copy)
    copy.with_name(copy.name + SUFFIX).write_text(inputs_fingerprint() + "\n")
    before = sorted(p.name for p in folder.iterdir())
    start = time.perf_counter()
    done = subprocess.run(
        [str(VENV_BIN / "python"), "-c", _REUSE, str(folder)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    reused = Path(done.stdout.strip().splitlines()[-1])
    after = sorted(p.name for p in folder.iterdir())
    return {
        "reuse_check_s": round(seconds, 3),
        "reused": reused == copy,
        "new_files": after != before,
    }
