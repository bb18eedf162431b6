import pickle

import joblib
import mlflow
import torch
from sklearn.ensemble import RandomForestClassifier


def train_and_save(X, y, path):
    model = RandomForestClassifier(random_state=0).fit(X, y)
    joblib.dump(model, path)  # expect: MLA703


def export(clf, out):
    with open(out, "wb") as fh:
        pickle.dump(clf, fh)  # expect: MLA703


def publish(net, model_dir):
    torch.save(net.state_dict(), f"{model_dir}/final.pt")  # expect: MLA703


def log_to_tracking(model):
    mlflow.sklearn.log_model(model, "model")  # expect: MLA703


def save_keras(model, path):
    model.save(path)  # expect: MLA703
