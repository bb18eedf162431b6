"""A torch Dataset applies its transforms per sample: importing them is the design, not a layer breach."""

from PIL import Image
from torch.utils.data import Dataset

from .transforms import train_transform


class ImageFolderDataset(Dataset):
    def __init__(self, paths: list[str]) -> None:
        self.paths = paths

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, i: int):
        return train_transform(Image.open(self.paths[i]))
