"""LightningCLI with ``seed_everything_default`` seeds the run before it builds the datamodule, so the
split in the datamodule is seeded."""
from pytorch_lightning import LightningDataModule
from pytorch_lightning.cli import LightningCLI
from torch.utils.data import DataLoader, random_split


class MyDataModule(LightningDataModule):
    def __init__(self, dataset, batch_size: int = 32) -> None:
        super().__init__()
        self.train, self.val = random_split(dataset, [55000, 5000])
        self.batch_size = batch_size

    def train_dataloader(self):
        return DataLoader(self.train, batch_size=self.batch_size)


def cli_main() -> None:
    cli = LightningCLI(MyDataModule, seed_everything_default=1234, run=False)
    cli.trainer.fit(cli.model, datamodule=cli.datamodule)


if __name__ == "__main__":
    cli_main()
