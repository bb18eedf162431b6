"""A synthetic copy task whose error rate is measured: the data are made up, the result is not (it
compares architectures), so the unseeded loop is reported."""

import torch

NUM_TOKENS, SEQ_LEN = 16, 32


def batches(size):
    while True:
        src = torch.randint(2, NUM_TOKENS, (size, SEQ_LEN))
        yield src, src


if __name__ == "__main__":
    model = torch.nn.Sequential(torch.nn.Embedding(NUM_TOKENS, 64), torch.nn.Linear(64, NUM_TOKENS))
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
    data = batches(8)
    for step in range(1000):
        src, tgt = next(data)
        loss = torch.nn.functional.cross_entropy(model(src).transpose(1, 2), tgt)
        loss.backward()  # expect: MLA704
        optimizer.step()
        optimizer.zero_grad()
    src, tgt = next(data)
    incorrects = (model(src).argmax(-1) != tgt).sum().item()
    print(f"incorrects: {incorrects}")
