import pandas as pd
import torch
from sklearn.cluster import KMeans
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import KFold, train_test_split


def split(frame, cfg):
    return train_test_split(frame, test_size=cfg.test_size, random_state=cfg.seed)


def make_folds(seed):
    return KFold(n_splits=5, shuffle=True, random_state=seed)


def fit_models(X, y, cfg):
    forest = RandomForestClassifier(n_estimators=cfg.n_estimators, random_state=cfg.seed)
    clusters = KMeans(n_clusters=8, random_state=cfg.seed).fit_predict(X)
    return forest.fit(X, y), clusters


def subsample(path, seed):
    return pd.read_parquet(path).sample(frac=0.1, random_state=seed)


def train_net(net, loader, optimizer):
    for _ in range(10):
        for x, y in loader:
            loss = torch.nn.functional.mse_loss(net(x), y)
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    torch.manual_seed(0)
    train_net(torch.nn.Linear(4, 1), [], None)
