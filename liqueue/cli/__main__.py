"""`python -m liqueue.cli`."""

from liqueue.cli import main

main()
