"""A small, reproducible machine-learning project: train, evaluate honestly, share.

Run it from the project's folder::

    python -m mlproject validate      # check the data against config.toml
    python -m mlproject train         # cross-validate, compare with baselines, save

Modules, in the order the training run uses them:

* ``config``   reads config.toml, the one file with every setting that changes the results;
* ``data``     checks the data file's checksum, then its columns, types and values;
* ``model``    the model and its two baselines; saving and loading with skops;
* ``evaluate`` cross-validation splits, scores and intervals;
* ``report``   the results file and the model card;
* ``cli``      the command line that ties them together.
"""

__version__ = "0.1.0"
