"""A variable the project sets itself is a flag it passes to itself or to a child process (here the
sentinel telling a relaunched MPI worker that it already runs under mpirun), not the user's configuration."""

import os
import subprocess
import sys


def mpi_fork(n: int) -> None:
    if n <= 1:
        return
    if os.getenv("IN_MPI") is None:
        env = os.environ.copy()
        env.update(MKL_NUM_THREADS="1", OMP_NUM_THREADS="1", IN_MPI="1")
        subprocess.check_call(["mpirun", "-np", str(n), sys.executable, *sys.argv], env=env)
        sys.exit()
