import json
from datetime import datetime, timezone

import joblib
import mlflow
import sklearn
from mlflow.models import infer_signature

MODEL_VERSION = "3.1.0"
FEATURE_SCHEMA_VERSION = 4


def save_bundle(model, features, path):
    joblib.dump(
        {"model": model, "model_version": MODEL_VERSION, "feature_schema_version": FEATURE_SCHEMA_VERSION},
        path,
    )


def save_with_sidecar(model, features, directory):
    joblib.dump(model, directory / "model.joblib")
    metadata = {
        "features": list(features),
        "sklearn": sklearn.__version__,
        "created_at": datetime.now(timezone.utc).isoformat(),
    }
    (directory / "metadata.json").write_text(json.dumps(metadata, indent=2))


def register(model, X_sample):
    mlflow.sklearn.log_model(model, "model", signature=infer_signature(X_sample, model.predict(X_sample)))


def register_by_name(model):
    mlflow.sklearn.log_model(model, "model", registered_model_name="lead-scoring")
