"""Sample transforms (augmentation) applied by the dataset, torchvision style."""

from torchvision.transforms import Compose, Normalize, RandomHorizontalFlip, ToTensor

train_transform = Compose([RandomHorizontalFlip(), ToTensor(), Normalize([0.5], [0.5])])
