import torch


def clean_orders(df):
    df["amount"] = df["amount"].fillna(0)  # expect: MLA203
    return df


def normalize_prices(df, currency_rates):
    df.loc[df.currency != "EUR", "price"] *= 1.1  # expect: MLA203
    currency_rates.fillna(1.0, inplace=True)  # related: one finding per function, every input in related
    return df


def encode_labels(frame):
    frame.columns = [c.lower() for c in frame.columns]  # expect: MLA203
    return frame


def build_features(df):
    df.drop(columns=["raw_text"], inplace=True)  # expect: MLA203
    df = df.copy()
    df["n_tokens"] = df.text.str.len()  # after the copy: fine
    return df


class Scaler:
    def fit(self, X, y=None):
        self.mean_ = X.mean()
        return self

    def transform(self, X):
        X.iloc[:, 0] = X.iloc[:, 0] - self.mean_  # expect: MLA203
        return X


def normalize_batch(images: torch.Tensor) -> torch.Tensor:
    images -= images.mean()  # a bare name: `-=` rebinds or mutates depending on the type, not reported
    images[images > 1] = 1  # expect: MLA203
    return images


def _fill_missing_features(df):
    df["age"] = df["age"].fillna(df["age"].median())  # expect: MLA203
    return df


def prepare(df):
    _fill_missing_features(df)  # the caller's frame changes: this caller neither copies nor rebinds
    return df


def _add_flags_features(df):
    df["flag"] = df["x"] > 0  # expect: MLA203
    return df


def flag_all(frames):
    return [f.pipe(_add_flags_features) for f in frames]  # passed on: callers unknown


def add_time_features(df):
    df["hour"] = df["ts"].dt.hour  # expect: MLA203
    return df


def featurize(df):
    df = add_time_features(df)  # rebinds, but a public function's other callers may be anywhere
    return df
