from kedro.pipeline import Node, Pipeline

from .nodes import preprocess_companies


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline([Node(func=preprocess_companies, inputs="companies", outputs="preprocessed_companies")])
