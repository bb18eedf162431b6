"""A tutorial model memorising three hard-coded sentences: the program reads no data, it builds its
tensors from literals and prints what it memorised. Nothing anyone reproduces, nothing to seed."""

import torch
import torch.nn as nn
import torch.optim as optim


class NNLM(nn.Module):
    def __init__(self, n_class, n_step=2, n_hidden=2, m=2):
        super().__init__()
        self.n_step, self.m = n_step, m
        self.C = nn.Embedding.from_pretrained(torch.eye(n_class, m), freeze=False)  # a tensor, not a file
        self.H = nn.Linear(n_step * m, n_hidden, bias=False)
        self.U = nn.Linear(n_hidden, n_class, bias=False)

    def forward(self, x):
        x = self.C(x).view(-1, self.n_step * self.m)
        return self.U(torch.tanh(self.H(x)))


def make_batch(sentences, word_dict):
    inputs, targets = [], []
    for sen in sentences:
        word = sen.split()
        inputs.append([word_dict[n] for n in word[:-1]])
        targets.append(word_dict[word[-1]])
    return inputs, targets


if __name__ == "__main__":
    sentences = ["i like dog", "i love coffee", "i hate milk"]
    word_list = sorted(set(" ".join(sentences).split()))
    word_dict = {w: i for i, w in enumerate(word_list)}
    model = NNLM(len(word_dict))
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.001)
    input_batch, target_batch = make_batch(sentences, word_dict)
    input_batch = torch.LongTensor(input_batch)
    target_batch = torch.LongTensor(target_batch)
    for epoch in range(5000):
        optimizer.zero_grad()
        loss = criterion(model(input_batch), target_batch)
        if (epoch + 1) % 1000 == 0:
            print("Epoch:", epoch + 1, "cost =", f"{loss:.6f}")
        loss.backward()
        optimizer.step()
    predict = model(input_batch).data.max(1, keepdim=True)[1]
    print([sen.split()[:2] for sen in sentences], "->", [word_list[n.item()] for n in predict.squeeze()])
