"""Fitting the model to a lab's measurements: the table (`observations.py`), the problem of free quantities and
weighted residuals (`problem.py`), the estimate with its confidence intervals and identifiability
(`estimate.py`), and the calibrated context it writes and `kg predict --context FILE.yaml` reads
(`contextfile.py`). Only `contextfile.is_file` and `read` are on the prediction path (no numpy there)."""
