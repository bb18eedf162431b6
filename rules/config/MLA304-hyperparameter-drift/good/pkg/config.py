"""One place for the values every script and notebook uses."""

TEST_SIZE = 0.2
LEARNING_RATE = 0.05
SEED = 7
