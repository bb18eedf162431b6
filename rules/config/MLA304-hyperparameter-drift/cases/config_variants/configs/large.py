LEARNING_RATE = 3e-4  # config variants differ by design
BATCH_SIZE = 256
