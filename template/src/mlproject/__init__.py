"""A small, reproducible machine-learning project: prepare, train, evaluate honestly, share.

Run it from the project's folder (``make`` runs the same commands)::

    python -m mlproject prepare         # raw data -> processed data, with checksums
    python -m mlproject validate        # check the processed data against config.toml
    python -m mlproject train           # cross-validate, compare with baselines, save
    python -m mlproject evaluate-test   # once, when the settings are final
    python -m mlproject predict FILE    # apply the shared model to new data

Modules, in the order a training run uses them:

* ``config``   reads config.toml, the one file with every setting that changes the results;
* ``prepare``  turns the raw data into the processed data (your code goes here);
* ``data``     checks the data's checksums, then its columns, types and values;
* ``holdout``  locks the test set away, and scores it when asked (once);
* ``model``    the model and its two baselines; saving and loading with skops;
* ``evaluate`` cross-validation splits, scores and intervals;
* ``report``   the results file and the model card; ``figure`` the figure of the scores;
* ``compare``  compares two results files with a tolerance (for CI, across machines);
* ``cli``      the command line that ties them together.
"""

__version__ = "0.1.0"
