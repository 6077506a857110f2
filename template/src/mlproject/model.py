"""The model, the two baselines it must beat, and saving and loading with skops.

``model`` is a random forest (settings: ``[model]``); ``baseline`` a linear model on
standardised features (logistic regression for classes, linear regression for numbers);
``dummy`` ignores the features. The ``[data] categorical`` features are one-hot encoded. To try
another model, change :func:`make_models`; if :func:`load_model` then refuses the saved file,
check the types it names and add them to ``EXPECTED_TYPES``.
"""

from pathlib import Path

from sklearn.base import BaseEstimator
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from mlproject.config import Config, forest_class
from mlproject.data import MANIFEST, record_checksum, verify_checksum
from mlproject.errors import ProjectError

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
    columns = [("categories", encoder, config.categorical)]
    return [ColumnTransformer(columns, remainder="passthrough")]


def make_models(config: Config) -> dict[str, BaseEstimator]:
    """The model and its baselines, unfitted, each with a fixed seed where it has one."""
    forest = forest_class(config.task)(random_state=config.model_seed).set_params(**config.model)
    if config.classification:
        linear, dummy = LogisticRegression(max_iter=1000), DummyClassifier(strategy="prior")
    else:
        linear, dummy = LinearRegression(), DummyRegressor(strategy="mean")
    return {
        "model": make_pipeline(*encoding(config), forest),
        "baseline": make_pipeline(*encoding(config), StandardScaler(), linear),
        "dummy": dummy,
    }


def save_model(model: BaseEstimator, path: Path) -> str:
    """Save a fitted model in the skops format (which, unlike pickle, can be inspected), and
    record its checksum in the SHA256SUMS next to it; return the checksum."""
    import skops.io as sio

    sio.dump(model, path)
    return record_checksum(path)


def load_model(path: str | Path, shown: str | None = None) -> tuple[BaseEstimator, str]:
    """Load a model saved by :func:`save_model`; return it with its checksum. The file must
    match the checksum recorded when it was saved (so that results, test score and predictions
    come from the same model), and hold only types we have checked: skops lists the types a
    file needs (loading a pickle can run any code)."""
    import skops.io as sio

    path, shown = Path(path), shown or str(path)
    if not path.is_file():
        raise ProjectError(
            f"There is no model file '{shown}': run `python -m mlproject train` first."
        )
    fix = (
        f"It is not the model that `train` saved with the {MANIFEST} next to it: train again, "
        "or use the model file that goes with those results."
    )
    digest = verify_checksum(path, shown, fix)
    untrusted = set(sio.get_untrusted_types(file=path))
    unexpected = untrusted - EXPECTED_TYPES
    if unexpected:
        raise ProjectError(
            f"The model file '{shown}' contains types this project does not expect: "
            f"{', '.join(sorted(unexpected))}. Load it only if you trust where it came from "
            "(see the skops documentation on trusted types)."
        )
    return sio.load(path, trusted=sorted(untrusted)), digest
