"""A small, reproducible machine-learning project: prepare, train, evaluate honestly, share.

Run it from the project's folder (``make`` runs the same commands)::

    python -m mlproject prepare         # raw data -> processed data, with checksums
    python -m mlproject validate        # check the processed data against config.toml
    python -m mlproject train           # cross-validate, compare with baselines, save
    python -m mlproject evaluate-test   # once, when the settings are final
    python -m mlproject predict FILE    # apply the shared model to new data

Modules, in the order a run uses them: config, prepare (your code goes here), data (checks),
holdout (the test set), model, evaluate, report and figure (outputs), compare, cli.
"""

__version__ = "0.1.0"
