from govsite.commands.cli import entry

entry()
