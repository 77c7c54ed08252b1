"""Sampling the model: parameter draws from each quantity's range (`draw.py`), the model solved for many parameter
sets at once (`batch.py`, `sparse.py`, `sampler.py`), and what an ensemble says about a prediction
(`ensemble.py`, `summary.py`). numpy is imported here and only here on the prediction path: a plain
`kg predict` never loads it."""
