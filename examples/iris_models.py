"""Three small iris classifiers for the example run plan (``examples/plan.toml``).

Each takes a batch of rows (sepal length, sepal width, petal length, petal width) and returns
one species name per row.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

SPECIES = np.array(["setosa", "versicolor", "virginica"])
_DATA = np.genfromtxt(Path(__file__).with_name("iris.csv"), delimiter=",", skip_header=1,
                      usecols=(0, 1, 2, 3))
_LABELS = np.genfromtxt(Path(__file__).with_name("iris.csv"), delimiter=",", skip_header=1,
                        usecols=4, dtype=str)
_CENTROIDS = np.stack([_DATA[_LABELS == s].mean(axis=0) for s in SPECIES])


def majority(rows):
    """A baseline: always the same species."""
    return ["setosa"] * len(rows)


def petal_rules(rows):
    """The textbook rule: petal length < 2.5 is setosa; petal width < 1.75 is versicolor."""
    x = np.asarray(rows, dtype=float)
    return np.where(x[:, 2] < 2.5, "setosa",
                    np.where(x[:, 3] < 1.75, "versicolor", "virginica")).tolist()


def nearest_centroid(rows):
    """The species whose mean measurements are closest."""
    x = np.asarray(rows, dtype=float)
    distances = ((x[:, None, :] - _CENTROIDS[None, :, :]) ** 2).sum(axis=2)
    return SPECIES[distances.argmin(axis=1)].tolist()
