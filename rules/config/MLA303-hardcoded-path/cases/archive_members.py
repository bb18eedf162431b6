"""A path inside an archive is a member name, not a location: extracted (here into a temporary working
directory) and then read under that name, it is fixed by the archive's layout."""

import zipfile

from scipy.io import loadmat


def process_raw_dataset(filename: str):
    with zipfile.ZipFile(filename, "r") as zf:
        zf.extract("matlab/emnist-byclass.mat")
    data = loadmat("matlab/emnist-byclass.mat")
    return data["dataset"]
