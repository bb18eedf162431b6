from mlproj.utils import describe

HEADER = describe()
