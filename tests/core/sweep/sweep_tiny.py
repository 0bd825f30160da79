"""The small config the sweep tests train: 100 images, a 10x1 network, 5 epochs (~0.1 s a run)."""
from core.config import RunConfig

TINY = RunConfig(n_train=100, n_val=100, n_test=200, hidden_sizes=(10,), n_epochs=5, lr=0.1, batch_size=50)
TINY_SET = ["--set", "n_train=100", "--set", "n_val=100", "--set", "n_test=200", "--set", "hidden_sizes=10x1",
            "--set", "n_epochs=5", "--set", "lr=0.1", "--set", "batch_size=50"]
