"""The model, the two baselines it must beat, and saving and loading with skops.

* ``model``: a random forest, with the settings of ``[model]`` in config.toml;
* ``baseline``: a simple, well-understood model (logistic regression on standardised
  features). If the forest does not score clearly higher, share the baseline instead
  (``[model] share = "baseline"``) and report the difference and its interval;
* ``dummy``: predicts from the class frequencies alone and ignores the features. Scoring no
  better than this means the model has learnt nothing.

Categorical features (``[data] categorical``) are one-hot encoded in front of both models.

To try another model, change :func:`make_models` (and its settings in config.toml). If
:func:`load_model` then refuses the saved file, check the types it names and add them to
``EXPECTED_TYPES``.
"""

from __future__ import annotations

from pathlib import Path

from sklearn.base import BaseEstimator
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from mlproject.config import Config
from mlproject.errors import ConfigError, ProjectError

#: Types inside our saved models that skops does not trust by default. We checked that they
#: are scikit-learn's own; anything else in a model file is refused by :func:`load_model`.
#: A different model may need others: check each one before you add it here.
EXPECTED_TYPES = {"sklearn.tree._tree.Tree"}


def encoding(config: Config) -> list:
    """The step that one-hot encodes the categorical features (one 0/1 column per category
    seen in training; numeric features pass through); no step when there are none."""
    if not config.categorical:
        return []
    encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    return [ColumnTransformer([("categories", encoder, config.categorical)], remainder="passthrough")]


def make_models(config: Config) -> dict[str, BaseEstimator]:
    """The model and its baselines, unfitted, each with a fixed seed where it has one."""
    forest = RandomForestClassifier(random_state=config.model_seed)
    try:
        forest.set_params(**config.model)
    except ValueError:
        wrong = sorted(set(config.model) - set(forest.get_params()))
        raise ConfigError(
            f"{config.source}: [model] has setting(s) {', '.join(wrong)} that RandomForestClassifier "
            "does not know. See its documentation for the names."
        ) from None
    return {
        "model": make_pipeline(*encoding(config), forest),
        "baseline": make_pipeline(*encoding(config), StandardScaler(), LogisticRegression(max_iter=1000)),
        "dummy": DummyClassifier(strategy="prior"),
    }


def save_model(model: BaseEstimator, path: Path) -> None:
    """Save a fitted model in the skops format (which, unlike pickle, can be inspected)."""
    import skops.io as sio

    sio.dump(model, path)


def load_model(path: str | Path) -> BaseEstimator:
    """Load a model saved by :func:`save_model`, refusing types we have not checked.

    Loading a pickle can run any code; skops lists the types a file needs, and loads only
    those we trust.
    """
    import skops.io as sio

    untrusted = set(sio.get_untrusted_types(file=path))
    unexpected = untrusted - EXPECTED_TYPES
    if unexpected:
        raise ProjectError(
            f"The model file '{path}' contains types this project does not expect: "
            f"{', '.join(sorted(unexpected))}. Load it only if you trust where it came from "
            "(see the skops documentation on trusted types)."
        )
    return sio.load(path, trusted=sorted(untrusted))
