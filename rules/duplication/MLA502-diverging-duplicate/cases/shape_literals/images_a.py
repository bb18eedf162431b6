import numpy as np
import pandas as pd


def to_features(df: pd.DataFrame) -> np.ndarray:
    df = df.dropna(subset=["pixels"])
    df = df.drop_duplicates(subset=["image_id"])
    df["label"] = df["label"].astype(int)
    pixels = np.stack(df["pixels"].to_numpy())
    images = pixels.reshape(-1, 28, 28)
    return images / 255.0
