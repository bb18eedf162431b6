"""The steps are fitted inside each fold: a Pipeline, a search over one, an imbalanced-learn pipeline."""

from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline as make_imb_pipeline
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score, cross_validate
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler


def compare(X, y, grid):
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    scores = cross_val_score(pipe, X, y, cv=5)
    search = GridSearchCV(Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())]), grid)
    search.fit(X, y)
    resampled = make_imb_pipeline(SMOTE(), LogisticRegression())
    cross_validate(resampled, X, y, cv=KFold(5))
    return scores, search.best_params_


def columns(df, y, numeric):
    prep = ColumnTransformer([("num", SimpleImputer(), numeric)])
    model = make_pipeline(prep, LogisticRegression())
    return cross_val_score(model, df, y)
