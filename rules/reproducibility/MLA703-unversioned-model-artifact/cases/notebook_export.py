#!/usr/bin/env python
# coding: utf-8

# # Chapter 12 - Parallelizing neural network training with PyTorch
#
# The book's notebook saved as `.py` (`jupyter nbconvert --to script`): an experiment, like the notebook.

# In[1]:


import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))


# In[2]:


path = "iris_classifier.pt"
torch.save(model, path)
