from sklearn.model_selection import train_test_split


def test_split_sizes():
    train, test = train_test_split(list(range(10)), test_size=0.2)
    assert len(test) == 2
