"""Run govsite from a checkout without installing it: ``python cli.py build``."""
from govsite.commands.cli import entry

if __name__ == "__main__":
    entry()
