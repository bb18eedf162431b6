from mlproj.features.ratios import ratio

__all__ = ["ratio"]
