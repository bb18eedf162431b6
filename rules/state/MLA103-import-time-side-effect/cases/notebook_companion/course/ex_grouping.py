"""Exercise 4's checker: loads the exercise's data at import to compute the expected answers. Only the
exercise's notebook imports it, so its import is part of that notebook's run: quiet."""

import pandas as pd

from course.core import EqualityCheckProblem

reviews = pd.read_csv("../input/wine-reviews/winemag-data-130k-v2.csv", index_col=0)


class ReviewsWritten(EqualityCheckProblem):
    _var = "reviews_written"
    _expected = reviews.groupby("taster_twitter_handle").size()


class BestRatingPerPrice(EqualityCheckProblem):
    _var = "best_rating_per_price"
    _expected = reviews.groupby("price")["points"].max().sort_index()
