"""A pure script (rules.md v2, "Scripts"): a research training file configured by editing its top, its work
written inline at module level, no main guard, imported by nothing. Importing it *is* running it, so its
module-level loads are its run, not a side effect of an import: MLA103 stays quiet."""

import pickle

import numpy as np
import torch
import torch.nn.functional as F

# config: edit here
batch_size = 64
learning_rate = 3e-4
max_iters = 2000

with open("data/meta.pkl", "rb") as fh:
    meta = pickle.load(fh)
train_data = np.memmap("data/train.bin", dtype=np.uint16, mode="r")
model = torch.load("out/ckpt.pt")
optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate)


def get_batch():
    ix = torch.randint(len(train_data) - 1, (batch_size,))
    return torch.stack([torch.from_numpy(train_data[i : i + 2].astype(np.int64)) for i in ix])


for it in range(max_iters):
    x = get_batch()
    loss = F.cross_entropy(model(x[:, 0]), x[:, 1])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

torch.save(model, "out/ckpt.pt")
