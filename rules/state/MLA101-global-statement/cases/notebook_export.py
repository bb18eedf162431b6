#!/usr/bin/env python
# coding: utf-8

# # Chapter 8 - Sentiment analysis
#
# A book chapter's notebook saved as `.py` (`jupyter nbconvert --to script`): an experiment, like the
# notebook it came from.

# In[1]:


import time
import urllib.request

source = "http://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"
target = "aclImdb_v1.tar.gz"


# In[2]:


def reporthook(count, block_size, total_size):
    global start_time
    if count == 0:
        start_time = time.time()
        return
    duration = time.time() - start_time
    print(f"\r{count * block_size / (1024.0**2 * duration):.2f} MB/s", end="")


urllib.request.urlretrieve(source, target, reporthook)
