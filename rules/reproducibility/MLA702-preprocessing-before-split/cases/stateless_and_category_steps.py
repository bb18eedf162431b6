"""Steps that learn nothing from the data, or only the set of categories, before a split."""

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import (
    FunctionTransformer,
    LabelEncoder,
    Normalizer,
    OneHotEncoder,
    PolynomialFeatures,
)


def prepare(df, seed):
    X = df[["sessions", "pricing_views"]]
    X = FunctionTransformer(np.log1p).fit_transform(X)
    X = np.clip(X, 0, 50)
    X = Normalizer().fit_transform(X)
    X = PolynomialFeatures(degree=2).fit_transform(X)
    countries = OneHotEncoder(handle_unknown="ignore").fit_transform(df[["country"]])
    dummies = pd.get_dummies(df["plan"])
    amenities = CountVectorizer(tokenizer=lambda s: s.split(",")).fit_transform(df["amenities"])
    y = LabelEncoder().fit_transform(df["label"])
    features = np.hstack([X, countries.toarray(), dummies.values, amenities.toarray()])
    return train_test_split(features, y, random_state=seed)
