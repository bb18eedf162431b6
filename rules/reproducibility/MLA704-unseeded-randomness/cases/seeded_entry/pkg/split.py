from sklearn.model_selection import train_test_split


def split(rows):
    return train_test_split(rows, test_size=0.25)
